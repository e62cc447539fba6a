using MtlAgent.Agent.Acting;
using MtlAgent.Agent.Checkpoints;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Learning;
using MtlAgent.Agent.Monitoring;
using MtlAgent.Agent.Runs;
using MtlAgent.Agent.Tests.Support;
using MtlAgent.Agent.Training;

namespace MtlAgent.Agent.Tests.Runs;

/// <summary>
/// The runner's cadence, on a fake loop whose steps are free: exactly which rows, evaluations and checkpoints a run gets.
/// </summary>
public class TrainingRunnerTests
{
    private const string Breakout = "MinAtar/Breakout-v1";

    /// <summary>Three frames per game a step, one update a step; the same action values everywhere.</summary>
    internal sealed class FakeLoop(TrainConfig config) : ITrainingLoop, IActionValueFunction
    {
        public readonly List<long> Saved = [];
        public long DivergeAt = long.MaxValue;
        public TrainConfig Config => config;
        public long FramesPerGame { get; set; }
        public long Updates { get; set; }
        public IActionValueFunction Policy => this;
        public IReadOnlyList<string> Games => config.Games;
        // A measurement every 5 updates, as a trainer with monitor.gradient_every 5 would have.
        public GradientConflict? Gradients => Updates < 5 ? null : GradientConflict.From(Updates - Updates % 5, Games, [1], [0]);

        public void Step()
        {
            if (FramesPerGame + 3 >= DivergeAt) throw new TrainingDivergedException("loss of MinAtar/Breakout-v1 is NaN at update 9");
            FramesPerGame += 3;
            Updates++;
        }

        public TrainingSnapshot Snapshot() => new(FramesPerGame, Updates,
            [new GameSnapshot(Breakout, 0, null, null, 0.1, 0.5 * Updates, Updates, 0, 1, 1, false, false)], null, null, null, null);

        public void SaveCheckpoint(string directory, double wallSeconds)
        {
            Saved.Add(FramesPerGame);
            File.WriteAllText(Path.Combine(directory, "manifest.json"), "{}");
        }

        public void Outputs(ReadOnlySpan<int> rowsPerGame, Func<int, ReadOnlyMemory<byte>> observation, float[][] outputs)
        {
            for (int row = 0; row < rowsPerGame[0]; row++) outputs[row] = [1, 0, 0];
        }

        public void ToRealUnits(int game, Span<float> values) { }
    }

    internal static TrainConfig Config() => new()
    {
        Games = [Breakout],
        Frames = 100,
        Run = new RunConfig
        {
            LogEveryFrames = 10, EvalEveryFrames = 25, EvalEpisodes = 2, EvalMaxEpisodeSteps = 5, CheckpointEveryFrames = 40,
            KeepCheckpoints = 10,
        },
    };

    private static long[] Rows(RunDirectory run, string kind) =>
        new MetricsLog(run.MetricsPath).Read().Where(r => r.GetProperty("kind").GetString() == kind)
            .Select(r => r.GetProperty("frames_per_game").GetInt64()).ToArray();

    [Fact]
    public void RowsEvaluationsAndCheckpointsComeWhenTheirPeriodIsCrossed()
    {
        using var dir = new TempDir();
        var run = new RunDirectory(dir.Path);
        var loop = new FakeLoop(Config());
        var log = new List<string>();
        double clock = 0;
        var runner = new TrainingRunner(loop, run, log.Add, seconds: () => clock += 0.5);
        while (!runner.Done) runner.Step();
        Assert.Equal("step-102", runner.Finish());

        // Steps of 3 frames: a period is crossed at the first step past each multiple of it.
        Assert.Equal([12L, 21, 30, 42, 51, 60, 72, 81, 90, 102], Rows(run, "train"));
        Assert.Equal([27L, 51, 75, 102], Rows(run, "eval"));
        Assert.Equal(Enumerable.Range(1, 6).Select(i => 15L * i).ToArray(), Rows(run, "gradients"));   // one row per new measurement
        Assert.Equal([42L, 81, 102], loop.Saved);                     // periodic ones before the budget, then the final one
        Assert.Equal([42L, 81, 102], run.Checkpoints.All().Select(c => c.Frames));
        Assert.Equal(102, CheckpointStore.FramesOf(run.Checkpoints.Latest()!));
        var losses = new MetricsLog(run.MetricsPath).Read().Where(r => r.GetProperty("kind").GetString() == "train")
            .Select(r => r.GetProperty("games")[0].GetProperty("loss").GetDouble());
        Assert.All(losses, l => Assert.Equal(0.5, l));                // interval means of the running totals
        Assert.Contains(log, l => l.StartsWith("Checkpoint step-42 ", StringComparison.Ordinal));
        Assert.Contains(log, l => l.StartsWith("Evaluation at 27 frames per game (2 episodes", StringComparison.Ordinal));
    }

    [Fact]
    public void AResumedRunAtItsLastCheckpointWritesNoSecondOne()
    {
        using var dir = new TempDir();
        var run = new RunDirectory(dir.Path);
        var loop = new FakeLoop(Config() with { Frames = 42 }) { FramesPerGame = 42, Updates = 14 };
        run.Checkpoints.Write(42, keep: 3, d => loop.SaveCheckpoint(d, 0));
        var runner = new TrainingRunner(loop, run, _ => { }, wallSeconds: 7, resumed: true);
        Assert.True(runner.Done);
        Assert.Equal("step-42", runner.Finish());
        Assert.Equal([42L], loop.Saved);
        Assert.True(runner.WallSeconds >= 7);
    }

    [Fact]
    public void DivergenceStopsTheRunWithoutSaving_NamingTheLastGoodCheckpoint()
    {
        using var dir = new TempDir();
        var run = new RunDirectory(dir.Path);
        var loop = new FakeLoop(Config()) { DivergeAt = 60 };
        var runner = new TrainingRunner(loop, run, _ => { });
        var e = Assert.Throws<InvalidOperationException>(() => { while (!runner.Done) runner.Step(); });
        Assert.Equal("training diverged at 57 frames per game: loss of MinAtar/Breakout-v1 is NaN at update 9; " +
            "the diverged state was not saved; last good checkpoint: step-42", e.Message);
        Assert.Equal([42L], loop.Saved);
    }
}
