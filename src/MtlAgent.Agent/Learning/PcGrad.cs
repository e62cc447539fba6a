using MtlAgent.Agent.Engine;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Learning;

/// <summary>
/// PCGrad, gradient surgery for multi-task learning (Yu, Kumar, Gupta, Levine, Hausman, Finn, NeurIPS 2020), on the
/// parameters the games share (<c>learner.gradient_surgery: pcgrad</c>). With g_i game i's gradient of its own loss on
/// those parameters, each game's gradient is projected in turn onto the normal plane of every other game's gradient it
/// conflicts with:
/// <code>
/// g_i' = g_i;  for j in the other games:  if g_i' . g_j &lt; 0:  g_i' -= (g_i' . g_j / |g_j|^2) g_j
/// </code>
/// and the shared parameters take <c>sum_i c_i g_i'</c>, where c_i is game i's coefficient in the combined loss (its task
/// weight, over the number of games under the mean reduction). Every other parameter (heads, per-game layers, FiLM rows)
/// takes the combined loss's own gradient <c>sum_i c_i grad L_i</c>: it is the same as without surgery.
/// <para>
/// The paper draws the order of the other games at random; here it is the games' order rotated by the update number,
/// so a run draws nothing and resumes bitwise. Every g_i' is a combination <c>sum_k a_ik g_k</c> of the raw gradients,
/// so the projections run on the host on the coefficients, from the Gram matrix <c>G_kl = g_k . g_l</c> (one
/// download), and the result is one matrix product.
/// </para>
/// </summary>
public sealed class PcGrad : IDisposable
{
    private readonly FlatParameters _parameters;
    private readonly Tensor _sharedMask;    // 1 on the shared parameters' coordinates of the flat layout, else 0
    private readonly Tensor _isShared;      // the same as booleans

    /// <summary>Surgery on <paramref name="shared"/>, a subset of <paramref name="parameters"/>' parameters.</summary>
    public PcGrad(FlatParameters parameters, IReadOnlyCollection<Parameter> shared)
    {
        if (shared.Count == 0)
            throw new ArgumentException("gradient surgery needs parameters the games share; this network has none", nameof(shared));
        _parameters = parameters;
        var isShared = shared.ToHashSet(ReferenceEqualityComparer.Instance);
        var mask = new float[parameters.Count];
        for (int i = 0; i < parameters.Parameters.Count; i++)
        {
            if (isShared.Contains(parameters.Parameters[i]))
                Array.Fill(mask, 1f, (int)parameters.Offsets[i], (int)parameters.Parameters[i].numel());
        }
        _sharedMask = tensor(mask, dtype: parameters.data.dtype, device: parameters.data.device);
        using var half = 0.5.ToScalar();
        _isShared = _sharedMask.gt(half);
    }

    /// <summary>
    /// Writes the surgery's gradient into the flat gradient (which it overwrites): <paramref name="losses"/> are the games'
    /// own losses (each with its own graph), <paramref name="coefficients"/> their coefficients in the combined loss,
    /// <paramref name="update"/> the update's number (which rotates the projection order).
    /// </summary>
    public void Backward(IReadOnlyList<Tensor> losses, IReadOnlyList<double> coefficients, long update)
    {
        using var scope = NewDisposeScope();
        int k = losses.Count;
        var inputs = _parameters.Parameters.Cast<Tensor>().ToArray();
        var rows = losses.Select(loss =>
            cat(torch.autograd.grad([loss], inputs, retain_graph: true, allow_unused: true)
                .Select((g, i) => (g is null || g.IsInvalid ? zeros_like(inputs[i]) : g).flatten()).ToArray())).ToArray();   // unused: 0
        using var no = no_grad();
        var gradients = stack(rows);                               // [K, N]
        var shared = gradients * _sharedMask;
        double[] gram;
        using (var host = shared.matmul(shared.t()).to(float64).cpu()) gram = host.data<double>().ToArray();
        var (combined, _) = Combine(gram, coefficients, update);
        var c = tensor(coefficients.Select(x => (float)x).ToArray(), dtype: gradients.dtype, device: gradients.device);
        var b = tensor(combined.Select(x => (float)x).ToArray(), dtype: gradients.dtype, device: gradients.device);
        // The shared coordinates take sum_k b_k g_k, every other one sum_i c_i g_i. (`where`, not an add: see HeldScalars.)
        _parameters.grad.copy_(where(_isShared, b.matmul(gradients), c.matmul(gradients)));
    }

    /// <summary>
    /// The projection on coefficients: from the Gram matrix <paramref name="gram"/> (K x K, row-major) of the games' shared
    /// gradients and their <paramref name="coefficients"/> c_i, the b_k with <c>sum_i c_i g_i' = sum_k b_k g_k</c>, and
    /// how many projections were made. Game i meets the others in the order 0..K-1 rotated by <c>update mod K</c>, itself
    /// skipped. A zero gradient g_j projects nothing.
    /// </summary>
    public static (double[] Combined, int Projections) Combine(ReadOnlySpan<double> gram, IReadOnlyList<double> coefficients, long update)
    {
        int k = coefficients.Count;
        if (gram.Length != k * k) throw new ArgumentException($"a Gram matrix of {gram.Length} entries for {k} games", nameof(gram));
        var combined = new double[k];
        var a = new double[k];
        int projections = 0, start = (int)(update % k);
        for (int i = 0; i < k; i++)
        {
            Array.Clear(a);
            a[i] = 1;
            for (int step = 0; step < k; step++)
            {
                int j = (start + step) % k;
                if (j == i || !(gram[j * k + j] > 0)) continue;
                double dot = 0;                                   // g_i' . g_j
                for (int m = 0; m < k; m++) dot += a[m] * gram[m * k + j];
                if (dot >= 0) continue;
                a[j] -= dot / gram[j * k + j];
                projections++;
            }
            for (int m = 0; m < k; m++) combined[m] += coefficients[i] * a[m];
        }
        return (combined, projections);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _sharedMask.Dispose();
        _isShared.Dispose();
    }
}
