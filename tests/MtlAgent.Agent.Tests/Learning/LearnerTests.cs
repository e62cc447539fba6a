using MtlAgent.Agent.Acting;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Learning;
using MtlAgent.Agent.Model;
using MtlAgent.Agent.Randomness;
using MtlAgent.Agent.Replay;
using MtlAgent.Agent.Tests.Support;
using TorchSharp;
using static MtlAgent.Agent.Tests.Support.Configs;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Tests.Learning;

public class LearnerTests
{
    private sealed class Rig : IDisposable
    {
        public required Learner Learner;
        public required ReplayBatch Batch;
        public required ReplayBuffer[] Replays;
        public void Dispose() { Learner.Online.Dispose(); Learner.Target.Dispose(); Learner.Dispose(); Batch.Dispose(); }
    }

    private static Rig Build(TrainConfig config, int channels, int[] actions, ReplayBuffer[] replays, int seed = 0, BatchRows? rows = null)
    {
        manual_seed(seed);
        var online = new MultiTaskQNetwork(config.Network, channels, actions);
        var target = new MultiTaskQNetwork(config.Network, channels, actions);
        var games = Enumerable.Range(0, actions.Length).Select(i => $"game{i}").ToArray();
        return new Rig
        {
            Learner = new Learner(config with { Games = games }, online, target, CPU),
            Batch = new ReplayBatch(rows ?? BatchRows.Balanced(games, config.Replay, config.Tasks), channels, config.Learner.Gamma, CPU),
            Replays = replays,
        };
    }

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
            Learner = new LearnerConfig { Gamma = 0.9, Optimizer = OptimizerKind.Adam, LearningRate = 3e-3, TargetUpdatePeriod = 25 },
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

    [Fact]
    public void PopArtStatisticsMoveOncePerUpdateFromBatchMeans()
    {
        var config = new TrainConfig
        {
            Network = SmallNet, PopArt = new PopArtConfig { Beta = 0.5 }, Replay = new ReplayConfig { BatchPerGame = 200 },
        };
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
        var config = new TrainConfig
        {
            Network = SmallNet, PopArt = new PopArtConfig { Beta = 0.1 }, Replay = new ReplayConfig { BatchPerGame = 32 },
            Learner = new LearnerConfig { Optimizer = OptimizerKind.Adam, LearningRate = 1e-3 },
        };
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
        var config = new TrainConfig
        {
            Network = SmallNet, PopArt = new PopArtConfig { Enabled = popArt }, Replay = new ReplayConfig { BatchPerGame = 8 },
        };
        var replay = RandomReplay(3, float.NaN, false);
        using var rig = Build(config, 4, [3], [replay]);
        var before = rig.Learner.Online.parameters().Select(p => p.data<float>().ToArray()).ToArray();
        rig.Batch.Sample(rig.Replays, new Xoshiro256(1));
        var e = Assert.Throws<TrainingDivergedException>(() => rig.Learner.Update(rig.Batch, [1.0]));
        Assert.Contains(popArt ? "targets of game0 have mean NaN" : "loss of game0 is NaN", e.Message);
        Assert.Equal(0.0, rig.Learner.PopArt.Mu(0)); // statistics untouched
        var after = rig.Learner.Online.parameters().Select(p => p.data<float>().ToArray()).ToArray();
        for (int i = 0; i < before.Length; i++) Assert.Equal(before[i], after[i]);
    }

    [Fact]
    public void LiveTensorCountStaysFlatOverManyUpdates()
    {
        var config = new TrainConfig
        {
            Network = SmallNet, Replay = new ReplayConfig { BatchPerGame = 8 }, Learner = new LearnerConfig { TargetUpdatePeriod = 10 },
        };
        using var rig = Build(config, 4, [3, 3], [RandomReplay(1, 1, false), RandomReplay(2, 10, false)]);
        var rng = new Xoshiro256(4);
        var weights = new[] { 1.0, 1.0 };
        void Run(int n)
        {
            for (int i = 0; i < n; i++)
            {
                rig.Batch.Sample(rig.Replays, rng);
                rig.Learner.Update(rig.Batch, weights, probeGradients: i % 3 == 0);
            }
        }
        Run(20);
        long live = GcLive(); // construction leaves garbage for the finalizer; updates must not add any
        Run(500);
        Assert.Equal(live, LiveTensors());
    }

    private static float[] Values(Tensor t) { using var d = t.detach(); return d.data<float>().ToArray(); }

    private static Tensor Parameter(MultiTaskQNetwork network, string name) =>
        network.named_parameters().Single(p => p.name == name).parameter;

    [Fact]
    public void ATaskWeightScalesItsGamesGradientAndNoOtherGames()
    {
        var config = new TrainConfig { Network = SmallNet, Replay = new ReplayConfig { BatchPerGame = 8 } };
        ReplayBuffer[] Replays() => [RandomReplay(1, 1, false), RandomReplay(2, 5, false)];
        using var even = Build(config, 4, [3, 3], Replays());
        using var weighted = Build(config, 4, [3, 3], Replays());
        even.Batch.Sample(even.Replays, new Xoshiro256(6));
        weighted.Batch.Sample(weighted.Replays, new Xoshiro256(6));
        var evenLosses = even.Learner.Update(even.Batch, [1.0, 1.0]).ToArray();
        Assert.Equal(evenLosses, weighted.Learner.Update(weighted.Batch, [1.0, 3.0]));   // the losses themselves are unweighted
        // The gradients the optimizer stepped with: game 1's head got 3 times game 0's share, game 0's head the same.
        foreach (var name in new[] { "heads.1.weight", "heads.1.bias" })
            Assert.Equal(Values(Parameter(even.Learner.Online, name).grad!).Select(g => 3 * g),
                Values(Parameter(weighted.Learner.Online, name).grad!), new FloatTolerance(1e-5f));
        foreach (var name in new[] { "heads.0.weight", "heads.0.bias" })
            Assert.Equal(Values(Parameter(even.Learner.Online, name).grad!), Values(Parameter(weighted.Learner.Online, name).grad!));
        Assert.NotEqual(Values(Parameter(even.Learner.Online, "fc.weight").grad!),
            Values(Parameter(weighted.Learner.Online, "fc.weight").grad!));
    }

    [Fact]
    public void MinMax_TheSharedGradientIsTheWorstGamesAtFullWeight_PlusTheOthersAtTheFloor()
    {
        var config = new TrainConfig { Network = SmallNet, Replay = new ReplayConfig { BatchPerGame = 8 } };
        ReplayBuffer[] Replays() => [RandomReplay(1, 1, false), RandomReplay(2, 5, false), RandomReplay(3, 2, false)];
        Tensor Gradient(IReadOnlyList<double> weights)
        {
            using var rig = Build(config, 4, [3, 3, 3], Replays());
            rig.Batch.Sample(rig.Replays, new Xoshiro256(6));
            rig.Learner.Update(rig.Batch, weights);
            return Parameter(rig.Learner.Online, "fc.weight").grad!.detach().clone();
        }
        var weights = Agent.Tasks.TaskWeighting.MinMax([0.7, 0.2, 0.9]);                   // game 1 is the worst
        double floor = Agent.Tasks.TaskWeighting.UniformMix;
        Assert.Equal([floor, 3 - 2 * floor, floor], weights, new DoubleTolerance(1e-12));
        using var scope = NewDisposeScope();
        var got = Gradient(weights);
        var each = new[] { Gradient([1.0, 0, 0]), Gradient([0, 1.0, 0]), Gradient([0, 0, 1.0]) };
        var expected = floor * each[0] + (3 - 2 * floor) * each[1] + floor * each[2];
        Assert.Equal(Values(expected), Values(got), new FloatTolerance(1e-5f));
    }

    [Fact]
    public void GradNorm_LearnsInTheUpdate_FirstUpdateAsUniform_WeightsMeanOne_NoTensorsLeft()
    {
        var config = new TrainConfig
        {
            Network = SmallNet, Replay = new ReplayConfig { BatchPerGame = 8 },
            Tasks = new TaskConfig { Weighting = Weighting.GradNorm, GradnormLr = 0.05 },
        };
        ReplayBuffer[] Replays() => [RandomReplay(1, 1, false), RandomReplay(2, 5, false)];
        using var plain = Build(config with { Tasks = new TaskConfig() }, 4, [3, 3], Replays());
        using var rig = Build(config, 4, [3, 3], Replays());
        var gradnorm = Assert.IsType<Agent.Tasks.GradNormWeighting>(rig.Learner.LearnedWeighting);
        Assert.Null(plain.Learner.LearnedWeighting);
        plain.Batch.Sample(plain.Replays, new Xoshiro256(6));
        rig.Batch.Sample(rig.Replays, new Xoshiro256(6));
        var first = plain.Learner.Update(plain.Batch, [1.0, 1.0]).ToArray();
        Assert.Equal(first, rig.Learner.Update(rig.Batch, [3.0, 0.5]));                    // weights passed in are not used
        foreach (var (a, b) in plain.Learner.Online.parameters().Zip(rig.Learner.Online.parameters()))
            Assert.Equal(Values(a), Values(b));                                              // it starts at 1 for every game
        Assert.Equal(first, gradnorm.InitialLosses);                                         // L_i(0): the first update's losses
        Assert.NotEqual([1.0, 1.0], gradnorm.Weights);
        Assert.Equal(2.0, gradnorm.Weights.Sum(), 9);
        var rng = new Xoshiro256(2);
        void Run(int n)
        {
            for (int i = 0; i < n; i++)
            {
                rig.Batch.Sample(rig.Replays, rng);
                rig.Learner.Update(rig.Batch, [1.0, 1.0], probeGradients: i % 3 == 0);
            }
        }
        Run(10);
        long live = GcLive();
        Run(100);
        Assert.Equal(live, LiveTensors());
        Assert.Equal(2.0, gradnorm.Weights.Sum(), 9);
        Assert.All(gradnorm.Weights, w => Assert.True(w > 0));
    }

    [Fact]
    public void Uncertainty_WeighsEachLossByExpMinusS_AndLearnsSFromTheLosses()
    {
        var config = new TrainConfig
        {
            Network = SmallNet, Replay = new ReplayConfig { BatchPerGame = 8 },
            Tasks = new TaskConfig { Weighting = Weighting.Uncertainty },
        };
        ReplayBuffer[] Replays() => [RandomReplay(1, 1, false), RandomReplay(2, 5, false)];
        using var rig = Build(config, 4, [3, 3], Replays());
        using var weighted = Build(config with { Tasks = new TaskConfig() }, 4, [3, 3], Replays());
        var uncertainty = Assert.IsType<Agent.Tasks.UncertaintyWeighting>(rig.Learner.LearnedWeighting);
        var (ra, rb) = (new Xoshiro256(5), new Xoshiro256(5));
        rig.Batch.Sample(rig.Replays, ra);
        weighted.Batch.Sample(weighted.Replays, rb);
        var losses = rig.Learner.Update(rig.Batch, [1.0, 1.0]).ToArray();                 // s = 0: weights 1, as uniform
        Assert.Equal(losses, weighted.Learner.Update(weighted.Batch, [1.0, 1.0]));
        Assert.Equal(losses.Select(l => Math.Sign(l - 1)), uncertainty.LogVariances.Select(Math.Sign)); // s rises where L > exp(s)
        // The next update weighs the losses by exp(-s): as an update with those weights passed in.
        var weights = uncertainty.Weights.ToArray();
        Assert.Equal(uncertainty.LogVariances.Select(v => Math.Exp(-v)), weights);
        rig.Batch.Sample(rig.Replays, ra);
        weighted.Batch.Sample(weighted.Replays, rb);
        rig.Learner.Update(rig.Batch, [1.0, 1.0]);
        weighted.Learner.Update(weighted.Batch, weights);
        foreach (var name in new[] { "heads.0.weight", "heads.1.weight", "fc.weight" })
            Assert.Equal(Values(Parameter(weighted.Learner.Online, name).grad!), Values(Parameter(rig.Learner.Online, name).grad!));
    }

    [Fact]
    public void UnequalRowsPerGame_EachGamesRowsComeFromItsReplay_AndBothLearn()
    {
        var config = new TrainConfig
        {
            Network = SmallNet, Replay = new ReplayConfig { BatchPerGame = 8 },
            Tasks = new TaskConfig { GameWeights = new Dictionary<string, double> { ["game0"] = 3, ["game1"] = 1 } },
        };
        using var rig = Build(config, 4, [3, 3], [RandomReplay(1, 1, false), RandomReplay(2, 1000, false)]);
        Assert.Equal([12, 4], rig.Batch.RowsPerGame);
        rig.Batch.Sample(rig.Replays, new Xoshiro256(3));
        var rewards = Values(rig.Batch.rewards);
        Assert.All(rewards[..12], r => Assert.InRange(r, -1, 3));          // game 0's rewards lie in [-1, 3]
        Assert.True(rewards[12..].Max(Math.Abs) > 3);                       // game 1's are 1000 times larger
        var losses = rig.Learner.Update(rig.Batch, [1.0, 1.0]);
        Assert.All(losses, l => Assert.True(double.IsFinite(l)));
        Assert.NotEqual(0.0, rig.Learner.PopArt.Mu(0));
        Assert.NotEqual(0.0, rig.Learner.PopArt.Mu(1));
    }

    [Fact]
    public void ABatchOfOneGame_LeavesTheOtherGamesHeadAndStatisticsAlone()
    {
        var config = new TrainConfig { Network = SmallNet, Replay = new ReplayConfig { BatchPerGame = 8 } };
        using var rig = Build(config, 4, [3, 3], [RandomReplay(1, 1, false), RandomReplay(2, 5, false)], rows: BatchRows.OneGame(1, 2, 8));
        var head0 = Values(Parameter(rig.Learner.Online, "heads.0.weight"));
        var fc = Values(Parameter(rig.Learner.Online, "fc.weight"));
        rig.Batch.Sample(rig.Replays, new Xoshiro256(3));
        var losses = rig.Learner.Update(rig.Batch, [1.0, 1.0]);
        Assert.True(double.IsNaN(losses[0]));
        Assert.True(double.IsFinite(losses[1]));
        Assert.Equal(head0, Values(Parameter(rig.Learner.Online, "heads.0.weight")));
        Assert.NotEqual(fc, Values(Parameter(rig.Learner.Online, "fc.weight")));
        Assert.Equal((0.0, 1.0), (rig.Learner.PopArt.Mu(0), rig.Learner.PopArt.Sigma(0)));
        Assert.NotEqual(0.0, rig.Learner.PopArt.Mu(1));
    }

    [Fact]
    public void DoubleDqn_TheOnlineNetworkChooses_TheTargetNetworkEvaluatesInRealUnits()
    {
        // PopArt at mu 3, sigma 2, moving by a negligible beta: the loss is then computable from the networks alone.
        var config = new TrainConfig
        {
            Network = SmallNet, Replay = new ReplayConfig { BatchPerGame = 32 },
            PopArt = new PopArtConfig { Beta = 1e-9 }, Learner = new LearnerConfig { DoubleDqn = true, Gamma = 0.9 },
        };
        using var rig = Build(config, 4, [3], [RandomReplay(4, 1, false)]);
        rig.Learner.PopArt.SetState([new PopArtMoments(3, 13)]);
        using (no_grad())
            foreach (var p in rig.Learner.Target.parameters()) p.add_(randn_like(p) * 0.3);   // target and online now disagree
        rig.Batch.Sample(rig.Replays, new Xoshiro256(5));
        float[] online, onlineNext, targetNext;
        using (no_grad())
        {
            online = Values(rig.Learner.Online.forward(rig.Batch.obs, rig.Batch.task, [32])[0]);
            onlineNext = Values(rig.Learner.Online.forward(rig.Batch.next_obs, rig.Batch.task, [32])[0]);
            targetNext = Values(rig.Learner.Target.forward(rig.Batch.next_obs, rig.Batch.task, [32])[0]);
        }
        var (rewards, discounts, actions) =
            (Values(rig.Batch.rewards), Values(rig.Batch.discounts), rig.Batch.actions.data<long>().ToArray());
        const double mu = 3, sigma = 2;
        static int Argmax(float[] q, int row) => EpsilonGreedy.Argmax(q.AsSpan(3 * row, 3));
        double Loss(Func<int, int> chooser, Func<double, double> units) => Enumerable.Range(0, 32).Average(i =>
        {
            double y = rewards[i] + discounts[i] * units(targetNext[3 * i + chooser(i)]);
            double x = online[3 * i + actions[i]] - (y - mu) / sigma;
            return Math.Abs(x) < 1 ? 0.5 * x * x : Math.Abs(x) - 0.5;
        });
        double expected = Loss(i => Argmax(onlineNext, i), q => sigma * q + mu);
        double targetChooses = Loss(i => Argmax(targetNext, i), q => sigma * q + mu);
        double normalizedBootstrap = Loss(i => Argmax(onlineNext, i), q => q);
        Assert.True(Math.Abs(expected - targetChooses) > 1e-3 && Math.Abs(expected - normalizedBootstrap) > 1e-3,
            "the alternatives must be told apart");
        Assert.Equal(expected, rig.Learner.Update(rig.Batch, [1.0])[0], 1e-5);
    }

    /// <summary>20 copies of one terminal transition (a fixed random board, action 1, reward <paramref name="reward"/>).</summary>
    private static ReplayBuffer OneTransition(float reward, ulong board = 12)
    {
        var replay = new ReplayBuffer(50, 4);
        var obs = RandomObs(new Xoshiro256(board), 4);
        for (int i = 0; i < 20; i++)
        {
            replay.BeginEpisode(0, obs);
            replay.AddStep(0, 1, reward, true, true, obs);
        }
        return replay;
    }

    // Two games whose heads start equal, without task conditioning: the trunk cannot tell them apart.
    private static Rig TwinHeads(float reward0, float reward1, GradientSurgery surgery = GradientSurgery.None, ulong board1 = 12)
    {
        var config = new TrainConfig
        {
            Network = SmallNet, PopArt = new PopArtConfig { Enabled = false }, Replay = new ReplayConfig { BatchPerGame = 8 },
            Learner = new LearnerConfig { GradientSurgery = surgery },
        };
        var rig = Build(config, 4, [3, 3], [OneTransition(reward0), OneTransition(reward1, board1)]);
        using (no_grad())
            foreach (var name in new[] { "weight", "bias" })
                Parameter(rig.Learner.Online, $"heads.1.{name}").copy_(Parameter(rig.Learner.Online, $"heads.0.{name}"));
        rig.Batch.Sample(rig.Replays, new Xoshiro256(1));
        return rig;
    }

    [Fact]
    public void GradientProbe_IdenticalDataAndTargets_GiveCosineOne()
    {
        using var rig = TwinHeads(1.5f, 1.5f);
        rig.Learner.Update(rig.Batch, [1.0, 1.0], probeGradients: true);
        var g = rig.Learner.Gradients!;
        Assert.Equal(["game0", "game1"], g.Games);
        Assert.Equal(1, g.Updates);
        Assert.Equal(1.0, g.Cosines[0][1], 5);
        Assert.Equal(g.Norms[0], g.Norms[1], 5);
        Assert.True(g.Norms[0] > 0);
        Assert.Equal(0, g.ConflictShare);
        Assert.All(g.LossDecreases, d => Assert.True(d > 0, $"the update should help both games to first order, got {d}"));
    }

    [Fact]
    public void GradientProbe_OppositeTargets_GiveANegativeCosine()
    {
        using var rig = TwinHeads(1.5f, -1.5f);
        rig.Learner.Update(rig.Batch, [1.0, 1.0], probeGradients: true);
        var g = rig.Learner.Gradients!;
        Assert.True(g.Cosines[0][1] < -0.9, $"cosine {g.Cosines[0][1]}");
        Assert.Equal(1, g.ConflictShare);
    }

    [Fact]
    public void GradientProbe_LeavesTheUpdateBitwiseUnchanged()
    {
        var config = new TrainConfig
        {
            Network = SmallNet, Replay = new ReplayConfig { BatchPerGame = 8 },
            Learner = new LearnerConfig { TargetUpdatePeriod = 5, MaxGradNorm = 1 },
        };
        ReplayBuffer[] Replays() => [RandomReplay(1, 1, false), RandomReplay(2, 5, false)];
        using var plain = Build(config, 4, [3, 3], Replays());
        using var probed = Build(config, 4, [3, 3], Replays());
        var (ra, rb) = (new Xoshiro256(4), new Xoshiro256(4));
        for (int i = 0; i < 12; i++)
        {
            plain.Batch.Sample(plain.Replays, ra);
            probed.Batch.Sample(probed.Replays, rb);
            Assert.Equal(plain.Learner.Update(plain.Batch, [1.0, 2.0]).ToArray(),
                probed.Learner.Update(probed.Batch, [1.0, 2.0], probeGradients: true));
        }
        Assert.Null(plain.Learner.Gradients);
        Assert.Equal(12, probed.Learner.Gradients!.Updates);
        foreach (var (a, b) in plain.Learner.Online.parameters().Zip(probed.Learner.Online.parameters()))
            Assert.Equal(Values(a), Values(b));
        foreach (var (a, b) in plain.Learner.Optimizer.NamedState().Zip(probed.Learner.Optimizer.NamedState()))
            Assert.Equal(Values(a.Tensor.to(ScalarType.Float32)), Values(b.Tensor.to(ScalarType.Float32)));
    }

    internal static long LiveTensors() => Agent.Engine.LiveTensors.OnThisThread;
    internal static long GcLive() => Agent.Engine.LiveTensors.OnThisThread;

    [Theory]
    [InlineData("none", "balanced", "mean", 5, 1.0)]
    [InlineData("games", "balanced", "mean", 5, 5.0)]   // five games averaged: each game's gradient at a fifth of its size
    [InlineData("games", "balanced", "mean", 1, 1.0)]   // one game: the reference step
    [InlineData("games", "round_robin", "mean", 5, 1.0)] // one game per update: nothing averaged
    [InlineData("games", "balanced", "sum", 5, 1.0)]    // summed losses: each gradient at its single-game size
    [InlineData("per_game_parameters", "balanced", "mean", 5, 1.0)]   // the factor 5 is a scale on the per-game parameters
    public void StepSize_ScalesTheLearningRateByTheGamesEachUpdateAverages(
        string scaling, string sampling, string reduction, int games, double factor)
    {
        var config = new ConfigBuilder().AddPreset("smoke")
            .Set($"learner.learning_rate_scaling={scaling}").Set($"tasks.sampling={sampling}")
            .Set($"tasks.loss_reduction={reduction}").Build();

        Assert.Equal(config.Learner.LearningRate * factor, Optimizers.StepSize(config, games), 12);
    }

    [Fact]
    public void Learner_StepsAtTheScaledLearningRate()
    {
        var config = new ConfigBuilder().AddPreset("smoke").Set("learner.learning_rate_scaling=games").Build();
        using var rig = Build(config, 1, [2, 2], [ChainReplay(), ChainReplay()]);

        Assert.Equal(2 * config.Learner.LearningRate, ((Agent.Engine.FlatRmsProp)rig.Learner.Optimizer).LearningRate, 12);
    }

    [Fact]
    public void PerGameParameters_StepsEachGamesOwnParametersAsGames_AndTheSharedOnesAsNone()
    {
        // First update from the same start and batch: the optimizer states see the same gradients under every scaling, so
        // the heads must move as with `games` (lr x 2) and the trunk as with `none` (lr).
        TrainConfig Config(string scaling) => new()
        {
            Network = SmallNet, Replay = new ReplayConfig { BatchPerGame = 8 },
            Learner = new LearnerConfig
            {
                LearningRateScaling = ConfigChoices.Parse<LearningRateScaling>(scaling, "learner.learning_rate_scaling"),
            },
        };
        var moved = new Dictionary<string, Dictionary<string, float[]>>();
        foreach (var scaling in new[] { "none", "games", "per_game_parameters" })
        {
            using var rig = Build(Config(scaling), 4, [3, 3], [RandomReplay(1, 1, false), RandomReplay(2, 5, false)]);
            var before = rig.Learner.Online.named_parameters().ToDictionary(p => p.name, p => Values(p.parameter));
            rig.Batch.Sample(rig.Replays, new Xoshiro256(6));
            rig.Learner.Update(rig.Batch, [1.0, 1.0]);
            moved[scaling] = rig.Learner.Online.named_parameters()
                .ToDictionary(p => p.name, p => Values(p.parameter).Zip(before[p.name], (a, b) => a - b).ToArray());
        }
        var perGame = moved["per_game_parameters"];
        foreach (var (name, step) in perGame)
        {
            var expected = name.StartsWith("heads.", StringComparison.Ordinal) ? moved["games"][name] : moved["none"][name];
            Assert.Equal(expected, step, new FloatTolerance(1e-7f));
            Assert.Contains(step, v => v != 0);
        }
        Assert.NotEqual(moved["none"]["heads.0.weight"], perGame["heads.0.weight"], new FloatTolerance(1e-7f));
    }

    // The flat gradient of the online network's shared parameters, and of the rest, after one update of a twin-heads rig.
    private static (double[] Shared, float[][] Heads) GradientsAfterOneUpdate(GradientSurgery surgery, double[] weights)
    {
        using var rig = TwinHeads(1.5f, -1.5f, surgery, board1: 13);
        rig.Learner.Update(rig.Batch, weights);
        var shared = rig.Learner.Online.SharedParameters().SelectMany(p => Values(p.grad!)).Select(v => (double)v).ToArray();
        var heads = rig.Learner.Online.named_parameters().Where(p => p.name.StartsWith("heads.", StringComparison.Ordinal))
            .Select(p => Values(p.parameter.grad!)).ToArray();
        return (shared, heads);
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    [Fact]
    public void PcGrad_ConflictingGames_TheSharedGradientIsThePapersProjection_AndHelpsBoth_HeadsAsWithout()
    {
        // Each game's shared gradient alone: weights (2, 0) under the mean of two losses is game 0's gradient at weight 1.
        var g0 = GradientsAfterOneUpdate(GradientSurgery.None, [2.0, 0.0]).Shared;
        var g1 = GradientsAfterOneUpdate(GradientSurgery.None, [0.0, 2.0]).Shared;
        double cos = Dot(g0, g1) / Math.Sqrt(Dot(g0, g0) * Dot(g1, g1));
        Assert.InRange(cos, -0.99, -0.05);                    // in conflict, not collinear (which would cancel to 0)
        var plain = GradientsAfterOneUpdate(GradientSurgery.None, [1.0, 1.0]);
        var surgery = GradientsAfterOneUpdate(GradientSurgery.PcGrad, [1.0, 1.0]);
        // Yu et al.: g_i' = g_i - (g_i . g_j / |g_j|^2) g_j for a conflicting pair; the step is the mean of the g_i'.
        var p0 = g0.Zip(g1, (a, b) => a - Dot(g0, g1) / Dot(g1, g1) * b).ToArray();
        var p1 = g1.Zip(g0, (a, b) => a - Dot(g1, g0) / Dot(g0, g0) * b).ToArray();
        var expected = p0.Zip(p1, (a, b) => (a + b) / 2).ToArray();
        Assert.Equal(expected, surgery.Shared, new DoubleTolerance(1e-5 * Math.Sqrt(Dot(g0, g0))));
        Assert.True(Dot(surgery.Shared, g0) > 0 && Dot(surgery.Shared, g1) > 0, "the projected step lowers both losses to first order");
        Assert.Equal(g0.Zip(g1, (a, b) => (a + b) / 2), plain.Shared, new DoubleTolerance(1e-5 * Math.Sqrt(Dot(g0, g0))));
        for (int i = 0; i < plain.Heads.Length; i++) Assert.Equal(plain.Heads[i], surgery.Heads[i], new FloatTolerance(1e-6f));
    }

    [Fact]
    public void PcGrad_AgreeingGames_StepAsWithout()
    {
        using var plain = TwinHeads(1.5f, 1.5f);
        using var surgery = TwinHeads(1.5f, 1.5f, GradientSurgery.PcGrad);
        for (int i = 0; i < 3; i++)
            Assert.Equal(plain.Learner.Update(plain.Batch, [1.0, 3.0]), surgery.Learner.Update(surgery.Batch, [1.0, 3.0]),
                new DoubleTolerance(1e-6));
        foreach (var (a, b) in plain.Learner.Online.parameters().Zip(surgery.Learner.Online.parameters()))
            Assert.Equal(Values(a), Values(b), new FloatTolerance(1e-6f));
    }
}
