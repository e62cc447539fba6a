using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Learning;
using MtlAgent.Agent.Model;
using MtlAgent.Agent.Randomness;
using MtlAgent.Agent.Replay;
using MtlAgent.Agent.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Tests;

public class LearnerTests
{
    private static readonly NetworkConfig SmallNet = new() { ConvChannels = [8], Hidden = 32, TaskConditioning = "none" };

    private sealed class Rig : IDisposable
    {
        public required Learner Learner;
        public required ReplayBatch Batch;
        public required ReplayBuffer[] Replays;
        public void Dispose() { Learner.Online.Dispose(); Learner.Target.Dispose(); Learner.Dispose(); Batch.Dispose(); }
    }

    private static Rig Build(TrainConfig config, int channels, int[] actions, ReplayBuffer[] replays, int seed = 0)
    {
        manual_seed(seed);
        var online = new MultiTaskQNetwork(config.Network, channels, actions);
        var target = new MultiTaskQNetwork(config.Network, channels, actions);
        var games = Enumerable.Range(0, actions.Length).Select(i => $"game{i}").ToArray();
        return new Rig
        {
            Learner = new Learner(config with { Games = games }, online, target, CPU),
            Batch = new ReplayBatch(new RoundRobinScheduler(games, config.Replay, config.Tasks), channels, config.Learner.Gamma, CPU),
            Replays = replays,
        };
    }

    private static byte[] OneHotObs(int cell, int channels = 1) { var o = new byte[channels * 100]; o[cell] = 1; return o; }

    /// <summary>Chain of 5 states; right from the last ends with +1, left from the first stays.</summary>
    private static ReplayBuffer ChainReplay()
    {
        var replay = new ReplayBuffer(200, 1);
        for (int copy = 0; copy < 8; copy++)
            for (int s = 0; s < 5; s++)
                for (int a = 0; a < 2; a++)
                {
                    int next = a == 1 ? Math.Min(s + 1, 4) : Math.Max(s - 1, 0);
                    bool terminal = s == 4 && a == 1;
                    replay.BeginEpisode(0, OneHotObs(s));
                    replay.AddStep(0, a, terminal ? 1f : 0f, terminal, true, OneHotObs(terminal ? 99 : next));
                }
        return replay;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ChainMdpConvergesToOptimalValues(bool popArt)
    {
        var config = new TrainConfig
        {
            Network = SmallNet,
            Learner = new LearnerConfig { Gamma = 0.9, Optimizer = "adam", LearningRate = 3e-3, TargetUpdatePeriod = 25 },
            PopArt = new PopArtConfig { Enabled = popArt, Beta = 0.01 },
            Replay = new ReplayConfig { BatchPerGame = 16 },
        };
        using var rig = Build(config, 1, [2], [ChainReplay()]);
        var rng = new Xoshiro256(11);
        for (int i = 0; i < 1500; i++)
        {
            rig.Batch.Sample(rig.Replays, rng);
            rig.Learner.Update(rig.Batch, [1.0]);
        }
        using var scope = NewDisposeScope();
        var cells = new float[500];
        for (int s = 0; s < 5; s++) cells[s * 100 + s] = 1;
        var obs = tensor(cells, [5, 1, 10, 10]);
        float[] q;
        using (no_grad()) q = rig.Learner.Online.forward(obs, ones(new long[] { 5, 1 }), [5])[0].data<float>().ToArray();
        var stats = rig.Learner.PopArt;
        for (int s = 0; s < 5; s++)
        {
            double right = Math.Pow(0.9, 4 - s), left = s == 0 ? 0.9 * Math.Pow(0.9, 4) : Math.Pow(0.9, 6 - s);
            Assert.Equal(left, stats.Sigma(0) * q[2 * s] + stats.Mu(0), 0.05);
            Assert.Equal(right, stats.Sigma(0) * q[2 * s + 1] + stats.Mu(0), 0.05);
        }
    }

    private static ReplayBuffer RandomReplay(int seed, float rewardScale, bool terminalOnly)
    {
        var rng = new Xoshiro256((ulong)seed);
        var replay = new ReplayBuffer(500, 4);
        byte[] Obs() => Enumerable.Range(0, 400).Select(_ => (byte)(rng.NextInt(5) == 0 ? 1 : 0)).ToArray();
        replay.BeginEpisode(0, Obs());
        for (int t = 0; t < 200; t++)
        {
            bool end = terminalOnly || rng.NextInt(10) == 0;
            replay.AddStep(0, rng.NextInt(3), rewardScale * (float)(rng.NextDouble() * 4 - 1), end, end, Obs());
            if (end) replay.BeginEpisode(0, Obs());
        }
        return replay;
    }

    [Fact]
    public void PopArtStatisticsMoveOncePerUpdateFromBatchMeans()
    {
        var config = new TrainConfig { Network = SmallNet, PopArt = new PopArtConfig { Beta = 0.5 }, Replay = new ReplayConfig { BatchPerGame = 200 } };
        var replay = RandomReplay(1, 1, terminalOnly: true);
        using var rig = Build(config, 4, [3], [replay]);
        rig.Batch.Sample(rig.Replays, new Xoshiro256(2)); // all 200 transitions: targets are exactly the rewards
        var rewards = rig.Batch.rewards.data<float>().ToArray().Select(r => (double)r).ToArray();
        rig.Learner.Update(rig.Batch, [1.0]);
        Assert.Equal(0.5 * rewards.Average(), rig.Learner.PopArt.Mu(0), 5);
        Assert.Equal(0.5 + 0.5 * rewards.Average(r => r * r), rig.Learner.PopArt.Nu(0), 4);
    }

    [Fact]
    public void PopArtMakesUpdatesInvariantToRewardScale()
    {
        var config = new TrainConfig { Network = SmallNet, PopArt = new PopArtConfig { Beta = 0.1 }, Replay = new ReplayConfig { BatchPerGame = 32 },
            Learner = new LearnerConfig { Optimizer = "adam", LearningRate = 1e-3 } };
        using var a = Build(config, 4, [3], [RandomReplay(5, 1, false)]);
        using var b = Build(config, 4, [3], [RandomReplay(5, 1000, false)]);
        a.Learner.PopArt.SetState([new PopArtMoments(0.5, 2)]);
        b.Learner.PopArt.SetState([new PopArtMoments(500, 2e6)]);
        var (ra, rb) = (new Xoshiro256(9), new Xoshiro256(9));
        for (int i = 0; i < 5; i++)
        {
            a.Batch.Sample(a.Replays, ra);
            b.Batch.Sample(b.Replays, rb);
            double la = a.Learner.Update(a.Batch, [1.0])[0], lb = b.Learner.Update(b.Batch, [1.0])[0];
            Assert.Equal(la, lb, 1e-5 * Math.Max(1, la) + 1e-6);
        }
        Assert.Equal(1000 * a.Learner.PopArt.Mu(0), b.Learner.PopArt.Mu(0), 1e-6 * Math.Abs(b.Learner.PopArt.Mu(0)) + 1e-6);
        Assert.Equal(1000 * a.Learner.PopArt.Sigma(0), b.Learner.PopArt.Sigma(0), 1e-6 * b.Learner.PopArt.Sigma(0));
        foreach (var (pa, pb) in a.Learner.Online.parameters().Zip(b.Learner.Online.parameters()))
            Assert.Equal(pa.data<float>().ToArray(), pb.data<float>().ToArray(), new FloatTolerance(1e-4f));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DivergenceIsReportedBeforeTheOptimizerStep(bool popArt)
    {
        var config = new TrainConfig { Network = SmallNet, PopArt = new PopArtConfig { Enabled = popArt }, Replay = new ReplayConfig { BatchPerGame = 8 } };
        var replay = RandomReplay(3, float.NaN, false);
        using var rig = Build(config, 4, [3], [replay]);
        var before = rig.Learner.Online.parameters().Select(p => p.data<float>().ToArray()).ToArray();
        rig.Batch.Sample(rig.Replays, new Xoshiro256(1));
        var e = Assert.Throws<Training.TrainingDivergedException>(() => rig.Learner.Update(rig.Batch, [1.0]));
        Assert.Contains(popArt ? "targets of game0 have mean NaN" : "loss of game0 is NaN", e.Message);
        Assert.Equal(0.0, rig.Learner.PopArt.Mu(0)); // statistics untouched
        var after = rig.Learner.Online.parameters().Select(p => p.data<float>().ToArray()).ToArray();
        for (int i = 0; i < before.Length; i++) Assert.Equal(before[i], after[i]);
    }

    [Fact]
    public void LiveTensorCountStaysFlatOverManyUpdates()
    {
        var config = new TrainConfig { Network = SmallNet, Replay = new ReplayConfig { BatchPerGame = 8 }, Learner = new LearnerConfig { TargetUpdatePeriod = 10 } };
        using var rig = Build(config, 4, [3, 3], [RandomReplay(1, 1, false), RandomReplay(2, 10, false)]);
        var rng = new Xoshiro256(4);
        var weights = new[] { 1.0, 1.0 };
        void Run(int n) { for (int i = 0; i < n; i++) { rig.Batch.Sample(rig.Replays, rng); rig.Learner.Update(rig.Batch, weights); } }
        Run(20);
        long live = GcLive(); // construction leaves garbage for the finalizer; updates must not add any
        Run(500);
        Assert.Equal(live, LiveTensors());
    }

    internal static long LiveTensors() => Agent.Engine.LiveTensors.OnThisThread;
    internal static long GcLive() => Agent.Engine.LiveTensors.OnThisThread;
}
