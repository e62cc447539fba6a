using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Engine;
using MtlAgent.Agent.Learning;
using MtlAgent.Agent.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Tests.Learning;

public class PopArtTests
{
    [Fact]
    public void MomentUpdateFollowsTheFormula()
    {
        var (mu, nu) = PopArtMath.UpdateMoments(0, 1, 0.1, 5, 30);
        Assert.Equal(0.5, mu, 12);
        Assert.Equal(0.9 + 3, nu, 12);
        Assert.Equal(Math.Sqrt(3.9 - 0.25), PopArtMath.Sigma(mu, nu, 1e-4, 1e6), 12);
        Assert.Equal(1e-4, PopArtMath.Sigma(2, 4, 1e-4, 1e6)); // zero variance hits the floor
        Assert.Equal(1e6, PopArtMath.Sigma(0, 1e14, 1e-4, 1e6));
    }

    [Fact]
    public void StatisticsUpdateOncePerCallAndPreserveOutputs()
    {
        var stats = new PopArtStatistics(new PopArtConfig { Beta = 0.25 }, 2);
        double w = 0.7, b = -0.3, h = 1.9;
        double before = stats.Sigma(1) * (w * h + b) + stats.Mu(1);
        var (scale, shift) = stats.Update(1, 10, 150);
        Assert.Equal(2.5, stats.Mu(1), 12);
        Assert.Equal(0.75 + 37.5, stats.Nu(1), 12);
        Assert.Equal(0, stats.Mu(0));
        double after = stats.Sigma(1) * (scale * w * h + scale * b + shift) + stats.Mu(1);
        Assert.Equal(before, after, 12);
    }

    [Fact]
    public void RealAndNormalisedUnitsConvertInOnePlace_AndNotAtAllWithPopArtOff()
    {
        var stats = new PopArtStatistics(new PopArtConfig(), 1);
        stats.SetState([new PopArtMoments(2, 13)]);              // sigma 3
        float[] q = [1f, -1f];
        stats.ToRealUnits(0, q);
        Assert.Equal([5f, -1f], q);
        using var scope = NewDisposeScope();
        Assert.Equal([1f, -1f], stats.Normalize(0, tensor(new[] { 5f, -1f })).data<float>().ToArray());
        Assert.Equal([5f, -1f], stats.ToRealUnits(0, tensor(new[] { 1f, -1f })).data<float>().ToArray());
        var off = new PopArtStatistics(new PopArtConfig { Enabled = false }, 1);
        off.SetState([new PopArtMoments(2, 13)]);
        float[] raw = [1f, -1f];
        off.ToRealUnits(0, raw);
        Assert.Equal([1f, -1f], raw);
    }

    [Fact]
    public void HeadRescalePreservesRealUnitOutputs()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var rng = new Agent.Randomness.Xoshiro256(3);
        using var net = new MultiTaskQNetwork(new NetworkConfig(), 10, [6, 3]);
        using var flat = new FlatParameters(net);
        using var rescale = new HeadRescale(net, CPU, flat);
        var stats = new PopArtStatistics(new PopArtConfig { Beta = 0.3 }, 2);
        stats.SetState([new PopArtMoments(2.5, 40), new PopArtMoments(-1, 3)]);
        var obs = rand(8, 10, 10, 10);
        var task = MultiTaskQNetwork.TaskOneHot([4, 4], CPU);
        for (int round = 0; round < 5; round++)
        {
            var before = RealOutputs(net, stats, obs, task);
            var (scales, shifts) = (new double[2], new double[2]);
            for (int g = 0; g < 2; g++)
            {
                double mean = (rng.NextDouble() - 0.5) * 100, square = mean * mean + rng.NextDouble() * 500;
                (scales[g], shifts[g]) = stats.Update(g, mean, square);
            }
            rescale.Apply(scales, shifts);
            var after = RealOutputs(net, stats, obs, task);
            for (int i = 0; i < before.Length; i++)
                Assert.True(Math.Abs(before[i] - after[i]) <= 1e-5 * Math.Max(1, Math.Abs(before[i])), $"{before[i]} vs {after[i]}");
        }
    }

    private static double[] RealOutputs(MultiTaskQNetwork net, PopArtStatistics stats, Tensor obs, Tensor task)
    {
        using var _ = no_grad();
        var q = net.forward(obs, task, [4, 4]);
        return Enumerable.Range(0, 2)
            .SelectMany(g => q[g].to(ScalarType.Float64).data<double>().ToArray().Select(v => stats.Sigma(g) * v + stats.Mu(g)))
            .ToArray();
    }
}
