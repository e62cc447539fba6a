using System.Diagnostics;
using MtlAgent.Agent.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Benchmarks;

/// <summary>Per-step wall-clock times of a benchmark, in milliseconds.</summary>
public sealed record BenchmarkTimings(double[] Milliseconds)
{
    /// <summary>Median step time.</summary>
    public double Median => Percentile(0.5);

    /// <summary>Mean step time.</summary>
    public double Mean => Milliseconds.Average();

    /// <summary>The <paramref name="q"/> quantile (0..1) of the step times.</summary>
    public double Percentile(double q)
    {
        var s = Milliseconds.Order().ToArray();
        return s.Length == 0 ? double.NaN : s[(int)Math.Clamp(Math.Round(q * (s.Length - 1)), 0, s.Length - 1)];
    }
}

/// <summary>
/// The tensor engine's cost alone: the MinAtar reference learner update (Conv2d(10,16,3), ReLU, Flatten, Linear(1024,128),
/// ReLU, Linear(128,6)) on a [32,10,10,10] batch of random 0/1 boards, smooth-L1 against random targets, centered RMSprop
/// (lr 2.5e-4, alpha 0.95, eps 0.01), one dispose scope per step.
/// </summary>
public static class ReferenceUpdate
{
    /// <summary>
    /// Times <paramref name="steps"/> updates after <paramref name="warmup"/> untimed ones;
    /// <paramref name="torchSharpOptimizer"/> uses TorchSharp's own RMSProp instead of <see cref="FlatRmsProp"/>.
    /// </summary>
    public static BenchmarkTimings Run(int steps, int warmup = 200, int batchSize = 32, Device? device = null, long seed = 0,
        bool torchSharpOptimizer = false)
    {
        TorchRuntime.Initialize();
        device ??= CPU;
        manual_seed(seed);
        using var net = nn.Sequential(nn.Conv2d(10, 16, 3), nn.ReLU(), nn.Flatten(), nn.Linear(1024, 128), nn.ReLU(), nn.Linear(128, 6));
        net.to(device);
        using var flat = torchSharpOptimizer ? null : new FlatParameters(net);
        using var reference = torchSharpOptimizer
            ? optim.RMSProp(net.parameters(), lr: 2.5e-4, alpha: 0.95, eps: 0.01, centered: true)
            : null;
        using var ours = flat is null ? null : new FlatRmsProp(flat, lr: 2.5e-4, alpha: 0.95, eps: 0.01, centered: true);
        using var x = randint(0, 2, [batchSize, 10, 10, 10], device: device).to(ScalarType.Float32).DetachFromDisposeScope();
        using var target = randn([batchSize, 6], device: device).DetachFromDisposeScope();

        var times = new double[steps];
        for (var i = -warmup; i < steps; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using (NewDisposeScope())
            {
                if (ours is not null) ours.zero_grad(); else reference!.zero_grad();
                var q = net.forward(x);
                var loss = nn.functional.smooth_l1_loss(q, target);
                loss.backward();
                if (ours is not null) ours.step(); else reference!.step();
                if (device.type == DeviceType.CUDA) loss.item<float>(); // wait for the GPU
            }
            if (i >= 0) times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return new BenchmarkTimings(times);
    }
}
