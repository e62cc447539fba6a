using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.nn.functional;

namespace MtlAgent.Agent.Tests.Engine;

/// <summary>
/// The MinAtar reference Q-network (examples/dqn.py: conv 16 3x3, ReLU, flatten, fc 128, ReLU, fc actions) on 10 input
/// channels and 6 actions, with fixed random batches, for tests of the engine.
/// </summary>
internal static class MinAtarNet
{
    public const int Batch = 32, Channels = 10, Actions = 6;

    /// <summary>
    /// A fresh network whose weights come from a generator seeded with <paramref name="seed"/>, drawn as PyTorch's default
    /// init does (uniform in +-1/sqrt(fan_in)): tests run in parallel, so the global generator is not theirs alone.
    /// </summary>
    public static Sequential Create(long seed = 0)
    {
        var net = Sequential(
            ("conv", Conv2d(Channels, 16, 3)),
            ("relu1", ReLU()),
            ("flatten", Flatten()),
            ("fc", Linear(1024, 128)),
            ("relu2", ReLU()),
            ("out", Linear(128, Actions)));
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var fanIn = new Dictionary<string, long> { ["conv"] = Channels * 9, ["fc"] = 1024, ["out"] = 128 };
        foreach (var (name, p) in net.named_parameters())
        {
            double bound = 1 / Math.Sqrt(fanIn[name.Split('.')[0]]);
            p.copy_(rand(p.shape, generator: generator).mul_(2 * bound).sub_(bound));
        }
        return net;
    }

    /// <summary>A network with <paramref name="source"/>'s weights (same architecture, values copied).</summary>
    public static Sequential CopyOf(Sequential source)
    {
        var copy = Create();
        using var noGrad = no_grad();
        foreach (var ((_, to), (_, from)) in copy.named_parameters().Zip(source.named_parameters())) to.copy_(from);
        return copy;
    }

    /// <summary>One batch of the reference update: 0/1 boards, actions, and targets for the actions' Q-values.</summary>
    public sealed record Sample(Tensor obs, Tensor actions, Tensor target) : IDisposable
    {
        public void Dispose() { obs.Dispose(); actions.Dispose(); target.Dispose(); }
    }

    /// <summary>
    /// <paramref name="count"/> batches drawn from a generator seeded with <paramref name="seed"/>, outside any dispose scope.
    /// </summary>
    public static Sample[] Samples(int count, long seed)
    {
        using var generator = new Generator((ulong)seed);
        return Enumerable.Range(0, count).Select(_ => new Sample(
            rand([Batch, Channels, 10, 10], generator: generator).lt_(0.5).to(ScalarType.Float32).DetachFromDisposeScope(),
            randint(0, Actions, [Batch], ScalarType.Int64, generator: generator).DetachFromDisposeScope(),
            rand([Batch], generator: generator).DetachFromDisposeScope())).ToArray();
    }

    /// <summary>The reference loss: smooth L1 (Huber, beta 1) between the taken actions' Q-values and the targets.</summary>
    public static Tensor Loss(Sequential net, Sample s)
    {
        var q_taken = net.forward(s.obs).gather(1, s.actions.unsqueeze(1)).squeeze(1);
        return smooth_l1_loss(q_taken, s.target);
    }

    /// <summary>Every parameter's values, copied out, in <c>named_parameters()</c> order.</summary>
    public static float[][] Values(Module net) => net.parameters().Select(p => p.data<float>().ToArray()).ToArray();

    /// <summary>Every parameter's gradient, copied out.</summary>
    public static float[][] Gradients(Module net) =>
        net.parameters().Select(p => { using var g = p.grad!; return g.data<float>().ToArray(); }).ToArray();

    /// <summary>The largest absolute difference between two sets of values.</summary>
    public static double MaxAbsDifference(float[][] a, float[][] b) =>
        a.Zip(b).Max(pair => pair.First.Zip(pair.Second).Max(x => Math.Abs((double)x.First - x.Second)));
}
