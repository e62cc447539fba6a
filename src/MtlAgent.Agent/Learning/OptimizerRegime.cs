using MtlAgent.Agent.Engine;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Learning;

/// <summary>
/// One parameter tensor's share of an optimizer state: the root of its gradients' (centered) mean square, which eps is
/// added to before a step divides the gradient by it. <paramref name="ShareAboveEps"/> is the share of its coordinates
/// whose root exceeds eps: there the step is normalised (about <c>lr</c> times the sign of a steady gradient); below it
/// the step is about <c>lr / eps</c> times the gradient, as plain SGD's.
/// </summary>
public sealed record TensorRegime(string Optimizer, string Tensor, long Count, double MedianRoot, double P90Root, double ShareAboveEps);

/// <summary>
/// Which regime an RMSprop or Adam state steps its parameters in, tensor by tensor (<c>mtl inspect</c>). With the MinAtar
/// reference's eps of 0.01 a root far below eps means the summed gradient of several games moves each parameter by the
/// sum of the games' own SGD steps, not by a normalised step they share.
/// </summary>
public sealed record OptimizerRegime(string Kind, double Eps, IReadOnlyList<TensorRegime> Tensors)
{
    /// <summary>Share of all coordinates whose root exceeds eps.</summary>
    public double ShareAboveEps => Tensors.Sum(t => t.ShareAboveEps * t.Count) / Math.Max(1, Tensors.Sum(t => t.Count));

    /// <summary>
    /// The regime of <paramref name="optimizer"/> over <paramref name="parameters"/>; for one state per game, each game's
    /// state in turn (named <c>game{g}</c>; one state for every game is <c>all games</c>).
    /// </summary>
    public static OptimizerRegime Of(IFlatOptimizer optimizer, FlatParameters parameters)
    {
        var states = optimizer is PerGameOptimizer perGame
            ? Enumerable.Range(0, perGame.Games).Select(g => ($"game{g}", perGame.Of(g))).ToArray()
            : [("all games", optimizer)];
        var read = states.Select(s => (Label: s.Item1, State: Read(s.Item2))).ToArray();
        var (kind, eps, _) = read[0].State;
        var tensors = read.SelectMany(s => Summaries(s.Label, s.State.Root, eps, parameters)).ToArray();
        return new OptimizerRegime(kind, eps, tensors);
    }

    // The optimizer's name, eps and root of the mean square, on the host.
    private static (string Kind, double Eps, float[] Root) Read(IFlatOptimizer optimizer)
    {
        var (kind, eps, root) = optimizer switch
        {
            FlatRmsProp rms => (rms.Name, rms.Eps, rms.RootMeanSquare()),
            FlatAdam adam => (adam.Name, adam.Eps, adam.RootMeanSquare()),
            _ => throw new ArgumentException($"no regime for {optimizer.GetType().Name}", nameof(optimizer)),
        };
        using (root)
        using (var host = root.to(float32).cpu())
            return (kind, eps, host.data<float>().ToArray());
    }

    private static IEnumerable<TensorRegime> Summaries(string optimizer, float[] root, double eps, FlatParameters parameters)
    {
        for (int i = 0; i < parameters.Names.Count; i++)
        {
            var part = root.AsSpan((int)parameters.Offsets[i], (int)parameters.Parameters[i].numel()).ToArray();
            Array.Sort(part);
            double above = part.Length - LowerBound(part, eps);
            yield return new TensorRegime(optimizer, parameters.Names[i], part.Length, Quantile(part, 0.5), Quantile(part, 0.9),
                above / Math.Max(1, part.Length));
        }
    }

    // Index of the first element above eps in a sorted array.
    private static int LowerBound(float[] sorted, double eps)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (sorted[mid] > eps) hi = mid; else lo = mid + 1;
        }
        return lo;
    }

    private static double Quantile(float[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(q * sorted.Length))];
}
