using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Learning;
using MtlAgent.Agent.Model;
using MtlAgent.Agent.Replay;
using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Tests;

public class NetworkTests
{
    private static long Count(MultiTaskQNetwork net) => net.parameters().Sum(p => p.numel());

    [Theory]
    [InlineData(4, 132_566)]
    [InlineData(7, 132_998)]
    [InlineData(10, 133_430)]
    [InlineData(6, 132_854)]
    public void OneGameWithoutConditioningIsTheReferenceNetwork(int channels, long parameters)
    {
        using var net = new MultiTaskQNetwork(new NetworkConfig { TaskConditioning = "none" }, channels, [6]);
        Assert.Equal(parameters, Count(net));
    }

    [Fact]
    public void ConditioningAddsTheDocumentedParameters()
    {
        int[] actions = [3, 6, 3];
        using var none = new MultiTaskQNetwork(new NetworkConfig { TaskConditioning = "none" }, 10, actions);
        using var concat = new MultiTaskQNetwork(new NetworkConfig { TaskConditioning = "concat" }, 10, actions);
        using var film = new MultiTaskQNetwork(new NetworkConfig { TaskConditioning = "film" }, 10, actions);
        Assert.Equal(Count(none) + 3 * 128, Count(concat));
        Assert.Equal(Count(none) + 2 * 3 * 128, Count(film));
        Assert.Throws<ArgumentException>(() => new MultiTaskQNetwork(new NetworkConfig { TaskConditioning = "gate" }, 10, actions));
    }

    [Theory]
    [InlineData("concat")]
    [InlineData("film")]
    [InlineData("none")]
    public void MixedBatchScoresEachRowWithItsOwnHead(string conditioning)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var net = new MultiTaskQNetwork(new NetworkConfig { TaskConditioning = conditioning, ConvChannels = [8, 8], Hidden = 32 }, 7, [3, 6]);
        var obs = rand(new long[] { 5, 7, 10, 10 });
        var q = net.forward(obs, ReplayBatch.TaskOneHot([2, 3], CPU), [2, 3]);
        Assert.Equal(new long[] { 2, 3 }, q[0].shape);
        Assert.Equal(new long[] { 3, 6 }, q[1].shape);
        // Row 3 alone, as game 1, gives the same values as inside the mixed batch.
        var alone = net.forward(obs.narrow(0, 3, 1), ReplayBatch.TaskOneHot([0, 1], CPU), [0, 1]);
        Assert.Equal(q[1].narrow(0, 1, 1).data<float>().ToArray(), alone[1].data<float>().ToArray(), new FloatTolerance(1e-5f));
    }

    [Fact]
    public void PopArtRescalePreservesRealUnitOutputs()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var rng = new Randomness.Xoshiro256(3);
        using var net = new MultiTaskQNetwork(new NetworkConfig(), 10, [6, 3]);
        using var flat = new Agent.Engine.FlatParameters(net);
        using var rescale = new HeadRescale(net, CPU, flat);
        var stats = new PopArtStatistics(new PopArtConfig { Beta = 0.3 }, 2);
        stats.SetState([new PopArtMoments(2.5, 40), new PopArtMoments(-1, 3)]);
        var obs = rand(new long[] { 8, 10, 10, 10 });
        var task = ReplayBatch.TaskOneHot([4, 4], CPU);
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
            for (int i = 0; i < before.Length; i++) Assert.True(Math.Abs(before[i] - after[i]) <= 1e-5 * Math.Max(1, Math.Abs(before[i])), $"{before[i]} vs {after[i]}");
        }
    }

    private static double[] RealOutputs(MultiTaskQNetwork net, PopArtStatistics stats, Tensor obs, Tensor task)
    {
        using var _ = no_grad();
        var q = net.forward(obs.to(ScalarType.Float32), task, [4, 4]);
        return Enumerable.Range(0, 2).SelectMany(g => q[g].to(ScalarType.Float64).data<double>().ToArray().Select(v => stats.Sigma(g) * v + stats.Mu(g))).ToArray();
    }
}
