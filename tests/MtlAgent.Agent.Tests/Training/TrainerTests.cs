using MtlAgent.Agent.Acting;
using MtlAgent.Agent.Checkpoints;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Model;
using MtlAgent.Agent.Randomness;
using MtlAgent.Agent.Tests.Learning;
using MtlAgent.Agent.Tests.Support;
using MtlAgent.Agent.Training;
using TorchSharp;
using static MtlAgent.Agent.Tests.Support.Configs;

namespace MtlAgent.Agent.Tests.Training;

public class TrainerTests
{
    internal static List<byte[]> Weights(Trainer t) =>
        t.Learner.Online.parameters().Concat(t.Learner.Target.parameters())
            .Select(p =>
            {
                using var values = p.data<float>();
                return System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.ToArray().AsSpan()).ToArray();
            })
            .ToList();

    private static bool SameWeights(IReadOnlyList<byte[]> a, IReadOnlyList<byte[]> b) =>
        a.Count == b.Count && a.Zip(b).All(x => x.First.AsSpan().SequenceEqual(x.Second));

    [Fact]
    public void DefaultConfigTrainsAllFiveGamesWithOneBatchedForward()
    {
        using var t = new Trainer(new TrainConfig { Exploration = new ExplorationConfig { RandomFrames = 0, DecayFrames = 1, End = 0.5 } });
        Assert.Equal(10, t.Channels); // Seaquest's 10 channels; the others are zero-padded
        for (int i = 0; i < 300; i++) t.Step();
        var s = t.Snapshot();
        Assert.Equal(300, s.FramesPerGame);
        Assert.Equal(0, s.Updates); // learning starts after 5,000 frames
        Assert.Equal(TrainConfig.DefaultGames, s.Games.Select(g => g.Env));
        Assert.All(s.Games, g =>
        {
            Assert.Equal(0.5, g.Epsilon);
            Assert.Equal(0, g.LossUpdates);
            Assert.Equal(1.0, g.TaskWeight);
            Assert.Equal(1.0, g.PopArtSigma);
        });
        Assert.Contains(s.Games, g => g.Episodes > 0);
        Assert.True(s.WorstGame is null || TrainConfig.DefaultGames.Contains(s.WorstGame));
    }

    [Fact]
    public void TrainingStepsLeaveNoTensorsBehind()
    {
        using var t = new Trainer(Tiny());
        for (int i = 0; i < 100; i++) t.Step();
        long live = LearnerTests.GcLive();
        for (int i = 0; i < 400; i++) t.Step();
        Assert.True(t.Updates > 200);
        Assert.Equal(live, Agent.Engine.LiveTensors.OnThisThread);
    }

    [Fact]
    public void CadenceOfUpdatesAndTargetSyncs()
    {
        using var t = new Trainer(Tiny());
        int online = t.Learner.Online.parameters().Count();
        for (int step = 1; step <= 120; step++)
        {
            long before = t.Updates;
            t.Step();
            Assert.Equal(step, t.FramesPerGame);
            bool due = step > 60 && step % 2 == 0;
            Assert.Equal(before + (due ? 1 : 0), t.Updates);
            var w = Weights(t);
            bool synced = SameWeights(w.Take(online).ToList(), w.Skip(online).ToList());
            // The target equals the online network from a sync (or the start) until the next update, never otherwise.
            Assert.True(synced == (t.Updates % 7 == 0), $"step {step}: {t.Updates} updates, target synced {synced}");
        }
        Assert.Equal(30, t.Updates);
    }

    [Fact]
    public void RoundRobinSampling_UpdatesEveryGameInTurnWithItsOwnBatch()
    {
        var config = Tiny() with { Tasks = new TaskConfig { Sampling = Sampling.RoundRobin } };
        using var t = new Trainer(config);
        for (int step = 1; step <= 120; step++)
        {
            long before = t.Updates;
            t.Step();
            bool due = step > 60 && step % 2 == 0;
            Assert.Equal(before + (due ? 2 : 0), t.Updates);          // one update per game when one is due
        }
        var s = t.Snapshot();
        Assert.Equal(60, s.Updates);
        Assert.All(s.Games, g => Assert.Equal(30, g.LossUpdates));    // each of them with that game's rows only
        Assert.All(s.LossesSince(null), l => Assert.True(l is > 0));
    }

    [Theory]
    [InlineData(Weighting.WorstCase)]
    [InlineData(Weighting.GradNorm)]
    public void TheGradientMonitorLeavesTrainingBitwiseIdentical(Weighting weighting)
    {
        List<byte[]> Run(long every, out Trainer trainer)
        {
            trainer = new Trainer(Tiny() with
            {
                Monitor = new MonitorConfig { ReturnWindow = 5, GradientEvery = every },
                Tasks = new TaskConfig { Weighting = weighting, GradnormLr = 0.01 },
            });
            for (int i = 0; i < 200; i++) trainer.Step();
            return Weights(trainer);
        }
        var off = Run(0, out var a);
        var on = Run(3, out var b);
        using (a) using (b)
        {
            Assert.True(SameWeights(off, on), "weights differ with the gradient monitor on");
            Assert.Equal(a.Updates, b.Updates);
            Assert.Equal(a.Snapshot().Games, b.Snapshot().Games);           // returns, losses, PopArt, weights
            Assert.Null(a.Gradients);
            Assert.Equal(b.Updates - b.Updates % 3, b.Gradients!.Updates);
            Assert.Equal(["MinAtar/Breakout-v1", "MinAtar/Asterix-v1"], b.Gradients.Games);
        }
    }

    [Fact]
    public void ResumeIsBitwiseExactWithAsterix() =>
        ResumeFromCheckpointIsBitwiseExact(TaskConditioning.Concat, true, true, 1, "MinAtar/Asterix-v1", Sampling.Balanced);

    [Theory]
    [InlineData(Weighting.GradNorm)]
    [InlineData(Weighting.Uncertainty)]
    public void ResumeIsBitwiseExactWithALearnedWeighting(Weighting weighting) =>
        ResumeFromCheckpointIsBitwiseExact(TaskConditioning.Concat, true, true, 1, "MinAtar/Asterix-v1", Sampling.Balanced, weighting);

    [Theory]
    [InlineData(TaskConditioning.Concat, true, true, 1, "MinAtar/SpaceInvaders-v1", Sampling.Balanced)]
    [InlineData(TaskConditioning.Film, false, false, 2, "MinAtar/Seaquest-v0", Sampling.Balanced)]
    [InlineData(TaskConditioning.Concat, true, true, 2, "MinAtar/Freeway-v1", Sampling.RoundRobin)]
    [InlineData(TaskConditioning.Concat, true, true, 1, "MinAtar/Asterix-v1", Sampling.RoundRobin, Weighting.WorstCase,
        OptimizerState.PerGame)]
    [InlineData(TaskConditioning.Film, true, true, 1, "MinAtar/Freeway-v1", Sampling.Balanced, Weighting.WorstCase,
        OptimizerState.Shared, GradientSurgery.PcGrad)]
    public void ResumeFromCheckpointIsBitwiseExact(TaskConditioning conditioning, bool popArt, bool doubleDqn, int envsPerGame,
        string secondGame, Sampling sampling, Weighting weighting = Weighting.WorstCase,
        OptimizerState optimizerState = OptimizerState.Shared, GradientSurgery surgery = GradientSurgery.None)
    {
        var tiny = Tiny(conditioning, popArt, doubleDqn, envsPerGame);
        var config = tiny with
        {
            Games = ["MinAtar/Breakout-v1", secondGame],
            Learner = tiny.Learner with { OptimizerState = optimizerState, GradientSurgery = surgery },
            // learning rates at which the learned weightings move well away from 1 within the run
            Tasks = new TaskConfig { Weighting = weighting, Sampling = sampling, GradnormLr = 0.01, UncertaintyLr = 0.01 },
        };
        using var dir = new TempDir();
        List<byte[]> uninterrupted;
        TrainingSnapshot expected;
        using (var a = new Trainer(config))
        {
            for (int i = 0; i < 260; i++) a.Step();
            uninterrupted = Weights(a);
            expected = a.Snapshot();
        }
        string checkpoint = dir.Sub("step-130");
        using (var b = new Trainer(config))
        {
            for (int i = 0; i < 130; i++) b.Step();
            if (b.Learner.LearnedWeighting is not null) Assert.All(b.TaskWeights, w => Assert.NotEqual(1.0, w));
            TrainerCheckpoint.Save(b, checkpoint, wallSeconds: 0);
        }
        var (c, _) = TrainerCheckpoint.Load(checkpoint, config);
        using var _c = c;
        Assert.Equal(130 * envsPerGame, c.FramesPerGame);
        for (int i = 0; i < 130; i++) c.Step();
        Assert.True(SameWeights(uninterrupted, Weights(c)), "weights after resume differ from the uninterrupted run");
        var got = c.Snapshot();
        Assert.Equal(expected.Updates, got.Updates);
        Assert.Equal(expected.Games.Select(g => (g.Episodes, g.RecentReturn, g.PopArtMu, g.PopArtSigma, g.TaskWeight)),
            got.Games.Select(g => (g.Episodes, g.RecentReturn, g.PopArtMu, g.PopArtSigma, g.TaskWeight)));
    }

    [Fact]
    public void CheckpointErrorsNameTheProblem()
    {
        var config = Tiny();
        using var dir = new TempDir();
        string checkpoint = dir.Sub("step-70");
        using (var t = new Trainer(config))
        {
            for (int i = 0; i < 70; i++) t.Step();
            TrainerCheckpoint.Save(t, checkpoint, wallSeconds: 1.5);
            Assert.Contains("not empty", Assert.Throws<CheckpointException>(() => TrainerCheckpoint.Save(t, checkpoint, 0)).Message);
        }
        Assert.Contains("games", Assert.Throws<CheckpointException>(() =>
            TrainerCheckpoint.Load(checkpoint, config with { Games = ["MinAtar/Breakout-v1"] })).Message);
        Assert.Contains("network.hidden", Assert.Throws<CheckpointException>(() =>
            TrainerCheckpoint.Load(checkpoint, config with { Network = config.Network with { Hidden = 64 } })).Message);
        var (resumed, wall) = TrainerCheckpoint.Load(checkpoint, config with { Frames = 99, Run = config.Run with { LogEveryFrames = 7 } });
        resumed.Dispose();
        Assert.Equal(1.5, wall);

        string Broken()
        {
            string copy = dir.Sub($"broken-{Guid.NewGuid():N}");
            foreach (var f in Directory.GetFiles(checkpoint)) File.Copy(f, System.IO.Path.Combine(copy, System.IO.Path.GetFileName(f)));
            return copy;
        }
        var broken = Broken();
        var replay = System.IO.Path.Combine(broken, CheckpointFormat.Replay(1));
        File.WriteAllBytes(replay, File.ReadAllBytes(replay)[..100]);
        Assert.Contains("replay-1.msgpack is 100 bytes",
            Assert.Throws<CheckpointException>(() => TrainerCheckpoint.Load(broken, config)).Message);

        broken = Broken();
        var state = System.IO.Path.Combine(broken, CheckpointFormat.Trainer);
        var bytes = File.ReadAllBytes(state);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(state, bytes);
        Assert.Contains("trainer.msgpack is corrupt",
            Assert.Throws<CheckpointException>(() => TrainerCheckpoint.Load(broken, config)).Message);

        broken = Broken();
        File.Delete(System.IO.Path.Combine(broken, CheckpointFormat.Optimizer));
        Assert.Contains("optimizer.safetensors is missing",
            Assert.Throws<CheckpointException>(() => TrainerCheckpoint.Load(broken, config)).Message);
        var model = System.IO.Path.Combine(broken, CheckpointFormat.Model);
        File.WriteAllBytes(model, File.ReadAllBytes(model)[..50]);
        Assert.Contains("model.safetensors", Assert.Throws<CheckpointException>(() => CheckpointPolicy.Load(broken)).Message);
        File.WriteAllText(System.IO.Path.Combine(broken, CheckpointFormat.Manifest), "{ not json");
        Assert.Contains("manifest.json is corrupt", Assert.Throws<CheckpointException>(() => CheckpointPolicy.Load(broken)).Message);
        Assert.Contains("neither", Assert.Throws<CheckpointException>(() => CheckpointPolicy.Load(dir.Sub("empty"))).Message);
    }

    [Fact]
    public void ALoadedCheckpointActsLikeTheTrainedNetwork()
    {
        var config = Tiny();
        using var dir = new TempDir();
        using var t = new Trainer(config);
        for (int i = 0; i < 150; i++) t.Step();
        TrainerCheckpoint.Save(t, dir.Sub("step-150"), wallSeconds: 0);
        File.WriteAllText(Path.Combine(dir.Path, CheckpointStore.LatestFile), "step-150\n");

        using var loaded = CheckpointPolicy.Load(dir.Path);
        var policy = loaded.Policy;
        Assert.Equal(config.Games, loaded.Games);
        Assert.Equal(150, loaded.FramesPerGame);
        int asterix = policy.GameIndex("MinAtar/Asterix-v1");
        var env = MtlAgent.Envs.EnvRegistry.Make("MinAtar/Asterix-v1");
        var obs = env.Reset(3).Observation.ToArray();
        int[] rows = [0, 1];
        var q = new float[1][];
        var actions = new int[1];
        EpsilonGreedy.Act(policy, rows, policy.ActionCounts, _ => obs, epsilon: 0, _ => new Xoshiro256(1), actions, qValues: q);
        Assert.Equal(env.ActionSpace.N, q[0].Length);
        // Same values as the trainer's online network, in real units; the greedy action is their first maximum.
        using var scope = torch.NewDisposeScope();
        var cells = new float[t.Channels * 100];
        for (int i = 0; i < obs.Length; i++) cells[i] = obs[i];
        var x = torch.tensor(cells, [1, t.Channels, 10, 10]);
        float[] expected;
        using (torch.no_grad())
            expected = t.Learner.Online.head(asterix, t.Learner.Online.trunk(x, MultiTaskQNetwork.TaskOneHot(rows, torch.CPU), rows))
                .data<float>().ToArray();
        var stats = t.Learner.PopArt;
        Assert.Equal(expected.Select(v => (float)(stats.Sigma(asterix) * v + stats.Mu(asterix))), q[0], new FloatTolerance(1e-5f));
        Assert.Equal(Array.IndexOf(q[0], q[0].Max()), actions[0]);
        Assert.Throws<ArgumentException>(() => policy.GameIndex("MinAtar/Freeway-v1"));
    }
}
