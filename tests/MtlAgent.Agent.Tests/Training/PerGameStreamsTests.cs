using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Randomness;
using MtlAgent.Agent.Training;
using TorchSharp;
using static MtlAgent.Agent.Tests.Support.Configs;

namespace MtlAgent.Agent.Tests.Training;

/// <summary>
/// Every game acts and samples its replay with random streams of its own (game 0's are a one-game run's), and a column
/// design draws each column's weights and then its head's: so the only coupling of games in a run with a trunk per game is
/// the loss, and with summed losses there is none. Game 0 of such a run must then train bit for bit as it does alone:
/// what a multi-game run adds to a game (a shared trunk, averaged losses, a common optimizer step) is all that differs.
/// </summary>
public class PerGameStreamsTests
{
    [Fact]
    public void AGameWithItsOwnColumnAndSummedLossesTrainsBitForBitAsItDoesAlone()
    {
        using var alone = new Trainer(ColumnPerGame(["MinAtar/SpaceInvaders-v0"]));
        using var together = new Trainer(ColumnPerGame(["MinAtar/SpaceInvaders-v0", "MinAtar/Breakout-v0"]));
        for (int step = 0; step < 1500; step++)
        {
            alone.Step();
            together.Step();
        }
        var a = alone.Snapshot().Games[0];
        var b = together.Snapshot().Games[0];
        Assert.True(a.Episodes >= 3 && alone.Updates >= 1000, $"{a.Episodes} episodes and {alone.Updates} updates");
        Assert.Equal(alone.Updates, together.Updates);
        Assert.Equal(a.Episodes, b.Episodes);
        Assert.Equal(a.RecentReturn, b.RecentReturn);
        Assert.Equal(a.PopArtMu, b.PopArtMu);
        Assert.Equal(a.PopArtSigma, b.PopArtSigma);
        Assert.Equal(ColumnAndHeadOfGame0(alone.Learner.Online), ColumnAndHeadOfGame0(together.Learner.Online));
        Assert.Equal(ColumnAndHeadOfGame0(alone.Learner.Target), ColumnAndHeadOfGame0(together.Learner.Target));
    }

    [Fact]
    public void ACheckpointOfOneSharedStreamResumesGame0sAndStartsTheOthersAfresh()
    {
        var config = Tiny();
        using var trainer = new Trainer(config);
        for (int step = 0; step < 100; step++) trainer.Step();
        var saved = trainer.CaptureProgress();
        Assert.Equal(8, saved.ActingRng.Count);

        using var resumed = new Trainer(config);
        var oneSharedStream = saved with { ActingRng = saved.ActingRng.Take(4).ToArray(), ReplayRng = saved.ReplayRng.Take(4).ToArray() };
        resumed.RestoreProgress(oneSharedStream);
        var restored = resumed.CaptureProgress();
        Assert.Equal(saved.ActingRng.Take(4), restored.ActingRng.Take(4));
        Assert.Equal(Xoshiro256.ForGameStream(config.Seed, "acting", 1).GetState(), restored.ActingRng.Skip(4));
        Assert.Equal(Xoshiro256.ForGameStream(config.Seed, "replay", 1).GetState(), restored.ReplayRng.Skip(4));

        var e = Assert.Throws<ArgumentException>(() => resumed.RestoreProgress(saved with { ReplayRng = new ulong[12] }));
        Assert.Contains("12 words of replay random state, expected 8 (4 per game)", e.Message);
    }

    private static Dictionary<string, float[]> ColumnAndHeadOfGame0(torch.nn.Module network) =>
        network.named_parameters()
            .Where(p => p.name.StartsWith("columns.0.", StringComparison.Ordinal)
                || p.name.StartsWith("heads.0.", StringComparison.Ordinal))
            .ToDictionary(p => p.name, p =>
            {
                using var values = p.parameter.data<float>();
                return values.ToArray();
            });

    // The reference network, update and exploration, one column per game without task input (whose width would differ
    // with the number of games), summed losses, small buffers and a fast cadence.
    private static TrainConfig ColumnPerGame(string[] games) => new()
    {
        Games = games,
        Seed = 3,
        TorchThreads = 1,
        Network = new NetworkConfig { TaskConditioning = TaskConditioning.None, Sharing = Sharing.Separate },
        Replay = new ReplayConfig { CapacityPerGame = 500, BatchPerGame = 8 },
        Learner = new LearnerConfig { LearningStarts = 60, UpdatePeriod = 1, TargetUpdatePeriod = 7 },
        Exploration = new ExplorationConfig { RandomFrames = 40, DecayFrames = 100 },
        PopArt = new PopArtConfig { Beta = 0.01 },
        Tasks = new TaskConfig { LossReduction = LossReduction.Sum },
    };
}
