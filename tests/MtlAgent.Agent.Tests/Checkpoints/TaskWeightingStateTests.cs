using MessagePack;
using MtlAgent.Agent.Checkpoints;
using MtlAgent.Agent.Checkpoints.Contracts;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Tests.Support;
using MtlAgent.Agent.Training;

namespace MtlAgent.Agent.Tests.Checkpoints;

/// <summary>The learned task weighting's state in <c>trainer.msgpack</c> (key 10), and files written before it.</summary>
public class TaskWeightingStateTests
{
    /// <summary><c>trainer.msgpack</c> as written before key 10 was added (keys 0 to 9).</summary>
    [MessagePackObject]
    public sealed record KeysZeroToNine
    {
        [Key(0)] public int Schema { get; init; }
        [Key(1)] public long FramesPerGame { get; init; }
        [Key(2)] public long Updates { get; init; }
        [Key(3)] public long Steps { get; init; }
        [Key(4)] public required ulong[] ActingRng { get; init; }
        [Key(5)] public required ulong[] ReplayRng { get; init; }
        [Key(6)] public required byte[][] EnvStates { get; init; }
        [Key(7)] public required double[] EpisodeReturns { get; init; }
        [Key(8)] public required GameMonitorContract[] Monitor { get; init; }
        [Key(9)] public double WallSeconds { get; init; }
    }

    /// <summary>Saves after 80 steps of <paramref name="config"/>, then rewrites its trainer.msgpack without key 10.</summary>
    private static string SavedWithoutKeyTen(TempDir dir, TrainConfig config, string name)
    {
        string checkpoint = dir.Sub(name);
        using (var t = new Trainer(config))
        {
            for (int i = 0; i < 80; i++) t.Step();
            TrainerCheckpoint.Save(t, checkpoint, wallSeconds: 2.5);
        }
        string path = Path.Combine(checkpoint, CheckpointFormat.Trainer);
        var state = MessagePackSerializer.Deserialize<TrainerStateContract>(File.ReadAllBytes(path), CheckpointFormat.MessagePack);
        var old = new KeysZeroToNine
        {
            Schema = state.Schema, FramesPerGame = state.FramesPerGame, Updates = state.Updates, Steps = state.Steps,
            ActingRng = state.ActingRng, ReplayRng = state.ReplayRng, EnvStates = state.EnvStates, EpisodeReturns = state.EpisodeReturns,
            Monitor = state.Monitor, WallSeconds = state.WallSeconds,
        };
        File.WriteAllBytes(path, MessagePackSerializer.Serialize(old, CheckpointFormat.MessagePack));
        var manifest = CheckpointManifest.Read(checkpoint);
        File.Delete(Path.Combine(checkpoint, CheckpointFormat.Manifest));
        CheckpointManifest.Write(checkpoint, manifest.FramesPerGame, manifest.Updates, manifest.Games, manifest.Files.Keys.ToList());
        return checkpoint;
    }

    [Fact]
    public void AFileWithoutKeyTenResumesAScoreWeightedRun_AndALearnedOneIsRefusedNamingTheWeighting()
    {
        using var dir = new TempDir();
        var worstCase = Configs.Tiny();
        var (resumed, wall) = TrainerCheckpoint.Load(SavedWithoutKeyTen(dir, worstCase, "worst-case"), worstCase);
        using (resumed)
        {
            Assert.Equal(2.5, wall);
            Assert.Equal(80, resumed.FramesPerGame);
            resumed.Step();
        }

        var gradnorm = Configs.Tiny() with { Tasks = new TaskConfig { Weighting = Weighting.GradNorm } };
        var e = Assert.Throws<CheckpointException>(() => TrainerCheckpoint.Load(SavedWithoutKeyTen(dir, gradnorm, "gradnorm"), gradnorm));
        Assert.Contains("no learned task-weighting state, which tasks.weighting gradnorm needs", e.Message);
    }

    [Fact]
    public void TheLearnedStateIsSavedUnderKeyTen()
    {
        using var dir = new TempDir();
        var config = Configs.Tiny() with { Tasks = new TaskConfig { Weighting = Weighting.Uncertainty, UncertaintyLr = 0.01 } };
        string checkpoint = dir.Sub("step-80");
        using var t = new Trainer(config);
        for (int i = 0; i < 80; i++) t.Step();
        TrainerCheckpoint.Save(t, checkpoint, wallSeconds: 0);
        var state = MessagePackSerializer.Deserialize<TrainerStateContract>(
            File.ReadAllBytes(Path.Combine(checkpoint, CheckpointFormat.Trainer)), CheckpointFormat.MessagePack);
        var saved = state.TaskWeighting!;
        var learned = t.Learner.LearnedWeighting!.GetState();
        Assert.Equal(learned.Values, saved.Values);
        Assert.Empty(saved.InitialLosses);
        Assert.Equal(learned.AdamSteps, saved.AdamSteps);
        Assert.All(saved.AdamSteps, steps => Assert.Equal(t.Updates, steps));
    }
}
