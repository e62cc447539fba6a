using MtlAgent.Agent.Acting;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Learning;
using MtlAgent.Agent.Model;
using MtlAgent.Agent.Randomness;
using MtlAgent.Agent.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Tests.Acting;

public class EpsilonGreedyTests
{
    private static readonly string[] Games = ["MinAtar/Breakout-v1", "MinAtar/Seaquest-v1"]; // 4 and 10 channels, 3 and 6 actions

    private static (MultiTaskQNetwork Net, QPolicy Policy, byte[][] Obs) Rig(PopArtStatistics? units = null)
    {
        manual_seed(5);
        var net = new MultiTaskQNetwork(new NetworkConfig { Hidden = 16, ConvChannels = [4] }, 10, [3, 6]);
        var policy = new QPolicy(net, Games, units ?? new PopArtStatistics(new PopArtConfig(), 2), CPU);
        var rng = new Xoshiro256(1);
        var obs = Enumerable.Range(0, 4)
            .Select(row => Enumerable.Range(0, (row < 2 ? 4 : 10) * 100).Select(_ => (byte)(rng.NextInt(6) == 0 ? 1 : 0)).ToArray())
            .ToArray();
        return (net, policy, obs);
    }

    [Fact]
    public void EpsilonOneIsUniformOverEachGamesOwnActions()
    {
        var (net, policy, obs) = Rig();
        using var _ = net;
        using var __ = policy;
        var counts = new int[4, 6];
        var rng = new Xoshiro256(2);
        var actions = new int[4];
        for (int i = 0; i < 6000; i++)
        {
            EpsilonGreedy.Act(policy, [2, 2], [3, 6], row => obs[row], 1.0, _ => rng, actions);
            for (int row = 0; row < 4; row++) counts[row, actions[row]]++;
        }
        for (int a = 0; a < 3; a++) Assert.InRange(counts[0, a], 1800, 2200);
        for (int a = 3; a < 6; a++) Assert.Equal(0, counts[1, a]);
        for (int a = 0; a < 6; a++) Assert.InRange(counts[3, a], 850, 1150);
    }

    [Fact]
    public void EpsilonZeroTakesTheFirstMaximumOfEachRowsOwnHead_ObservationsZeroPadded()
    {
        var (net, policy, obs) = Rig();
        using var _ = net;
        using var __ = policy;
        var actions = new int[4];
        var random = new bool[4];
        var q = new float[4][];
        EpsilonGreedy.Act(policy, [2, 2], [3, 6], row => obs[row], 0.0, _ => new Xoshiro256(3), actions, random, q);
        Assert.All(random, r => Assert.False(r));
        using var scope = NewDisposeScope();
        for (int row = 0; row < 4; row++)
        {
            int game = row / 2;
            var cells = new float[1000];
            for (int i = 0; i < obs[row].Length; i++) cells[i] = obs[row][i];
            var rows = game == 0 ? new[] { 1, 0 } : new[] { 0, 1 };
            float[] alone;
            using (no_grad())
                alone = net.forward(tensor(cells, [1, 10, 10, 10]), MultiTaskQNetwork.TaskOneHot(rows, CPU), rows)[game]
                    .data<float>().ToArray();
            // PopArt at its start: real units are the outputs (batching moves the last bit)
            Assert.Equal(alone, q[row], new FloatTolerance(1e-6f));
            Assert.Equal(EpsilonGreedy.Argmax(alone), actions[row]);
        }
    }

    [Fact]
    public void QValuesAreInRealUnits_AndTheGreedyActionIsTheSameInBoth()
    {
        var units = new PopArtStatistics(new PopArtConfig(), 2);
        units.SetState([new PopArtMoments(10, 104), new PopArtMoments(-1, 5)]);   // sigma 2 each
        var (net, policy, obs) = Rig(units);
        var (plainNet, plain, _) = Rig();
        using var a = net; using var b = policy; using var c = plainNet; using var d = plain;
        var (qReal, qOutputs) = (new float[4][], new float[4][]);
        var (actions, plainActions) = (new int[4], new int[4]);
        EpsilonGreedy.Act(policy, [2, 2], [3, 6], row => obs[row], 0.0, _ => new Xoshiro256(3), actions, default, qReal);
        EpsilonGreedy.Act(plain, [2, 2], [3, 6], row => obs[row], 0.0, _ => new Xoshiro256(3), plainActions, default, qOutputs);
        Assert.Equal(plainActions, actions);
        for (int row = 0; row < 4; row++)
        {
            var (mu, sigma) = row < 2 ? (10.0, 2.0) : (-1.0, 2.0);
            Assert.Equal(qOutputs[row].Select(v => (float)(sigma * v + mu)), qReal[row]);
        }
    }

    [Fact]
    public void DrawsDoNotDependOnTheNetwork_AndAllRandomRowsNeedNoForwardPass()
    {
        var counting = new CountingValues();
        var actions = new int[3];
        var shared = new Xoshiro256(8);
        EpsilonGreedy.Act(counting, [3], [4], _ => Array.Empty<byte>(), 1.0, _ => shared, actions);
        Assert.Equal(0, counting.Calls);
        var again = new int[3];
        var rng = new Xoshiro256(8);
        for (int row = 0; row < 3; row++) again[row] = EpsilonGreedy.Draw(1.0, 4, rng)!.Value;
        Assert.Equal(again, actions);
    }

    private sealed class CountingValues : IActionValueFunction
    {
        public int Calls;
        public IReadOnlyList<string> Games => ["MinAtar/Breakout-v0"];
        public void Outputs(ReadOnlySpan<int> rowsPerGame, Func<int, ReadOnlyMemory<byte>> observation, float[][] outputs) => Calls++;
        public void ToRealUnits(int game, Span<float> values) { }
    }
}
