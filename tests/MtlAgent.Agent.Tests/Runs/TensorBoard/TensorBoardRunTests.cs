using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Monitoring;
using MtlAgent.Agent.Runs;
using MtlAgent.Agent.Runs.TensorBoard;
using MtlAgent.Agent.Runs.TensorBoard.Proto;
using MtlAgent.Agent.Tests.Support;
using FakeLoop = MtlAgent.Agent.Tests.Runs.TrainingRunnerTests.FakeLoop;

namespace MtlAgent.Agent.Tests.Runs.TensorBoard;

/// <summary>
/// The event files of runs driven by <see cref="TrainingRunner"/> on the fake loop of <see cref="TrainingRunnerTests"/>
/// (3 frames per step; rows every 10 frames, evaluations every 25, checkpoints every 40, gradients every 5 updates).
/// </summary>
public class TensorBoardRunTests
{
    private static readonly long[] TrainSteps = [12, 21, 30, 42, 51, 60, 72, 81, 90, 102];
    private static readonly long[] EvalSteps = [27, 51, 75, 102];
    private static readonly long[] GradientSteps = [15, 30, 45, 60, 75, 90];

    private static List<(string Tag, long Step, float Value, double WallTime)> Scalars(string dir) =>
        TensorBoardEvents.Files(dir).SelectMany(f => TensorBoardEvents.Scalars(TensorBoardEvents.Read(f))).ToList();

    private static long[] Steps(IEnumerable<(string Tag, long Step, float Value, double WallTime)> scalars, string tag) =>
        scalars.Where(s => s.Tag == tag).Select(s => s.Step).ToArray();

    /// <summary>Steps the runner until the loop stands at <paramref name="frames"/> frames per game (no final checkpoint).</summary>
    private static void RunTo(TrainingRunner runner, FakeLoop loop, long frames)
    {
        while (loop.FramesPerGame < frames) runner.Step();
    }

    [Fact]
    public void EveryRowBecomesScalarsAtItsFramesPerGame_WithTheRowsOwnValues()
    {
        using var dir = new TempDir();
        var run = new RunDirectory(dir.Path);
        var runner = new TrainingRunner(new FakeLoop(TrainingRunnerTests.Config()), run, _ => { });
        while (!runner.Done) runner.Step();
        runner.Finish();

        var scalars = Scalars(dir.Path);
        Assert.Equal(TrainSteps, Steps(scalars, "Breakout-v1/loss"));
        Assert.Equal(TrainSteps, Steps(scalars, "Breakout-v1/popart_sigma"));
        Assert.Equal(TrainSteps, Steps(scalars, "Breakout-v1/epsilon"));
        Assert.Equal(TrainSteps, Steps(scalars, "overall/frames_per_second"));
        Assert.Equal(EvalSteps, Steps(scalars, "Breakout-v1/eval_return_mean"));
        Assert.Equal(EvalSteps, Steps(scalars, "overall/eval_worst_score"));
        Assert.Equal(GradientSteps, Steps(scalars, "Breakout-v1/gradient_norm"));
        Assert.Equal(GradientSteps, Steps(scalars, "gradients/conflict_share"));
        Assert.Empty(Steps(scalars, "Breakout-v1/return"));                         // null in every row: no episode yet
        double now = (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;
        Assert.All(scalars, s => Assert.InRange(s.WallTime, now - 600, now + 1));   // real unix seconds

        // The same figures as metrics.jsonl: each row's numbers, as floats, at the row's frames per game.
        foreach (var row in new MetricsLog(run.MetricsPath).Read())
        {
            long step = row.GetProperty("frames_per_game").GetInt64();
            var (rowStep, expected) = RowScalars.Of(row);
            Assert.Equal(step, rowStep);
            var kind = row.GetProperty("kind").GetString();
            var tag = kind switch
            {
                "train" => "Breakout-v1/loss", "eval" => "Breakout-v1/eval_normalized_score", _ => "Breakout-v1/gradient_norm",
            };
            var json = kind switch
            {
                "train" => row.GetProperty("games")[0].GetProperty("loss"),
                "eval" => row.GetProperty("games")[0].GetProperty("normalized_score"),
                _ => row.GetProperty("norms")[0],
            };
            Assert.Equal((float)json.GetDouble(), Assert.Single(scalars, s => s.Tag == tag && s.Step == step).Value);
            Assert.Contains((tag, (float)json.GetDouble()), expected);
        }
    }

    [Fact]
    public void GradientRows_GiveNormsPerGame_ConflictShareAndEveryPairsCosine()
    {
        var conflict = GradientConflict.From(9, ["MinAtar/Breakout-v0", "MinAtar/Asterix-v0"], [4, -2, -2, 1], [1, 2]);
        using var doc = System.Text.Json.JsonDocument.Parse(MetricsLog.GradientRow(conflict, 300, 1));
        var (step, scalars) = RowScalars.Of(doc.RootElement);
        Assert.Equal(300, step);
        Assert.Equal(
            [("Breakout-v0/gradient_norm", 2f), ("Breakout-v0/loss_decrease", -1f), ("Asterix-v0/gradient_norm", 1f),
             ("Asterix-v0/loss_decrease", -2f), ("gradients/conflict_share", 1f), ("gradients/most_conflicting_cosine", -1f),
             ("gradients/worst_loss_decrease", -2f), ("gradients/cosine/Breakout-v0/Asterix-v0", -1f)],
            scalars);
    }

    [Fact]
    public void AResumeLeavesEachTagAndStepOnce_AsAnUninterruptedRunHasThem()
    {
        using var reference = new TempDir();
        var straight = new TrainingRunner(new FakeLoop(TrainingRunnerTests.Config()), new RunDirectory(reference.Path), _ => { });
        while (!straight.Done) straight.Step();
        straight.Finish();

        using var dir = new TempDir();
        var run = new RunDirectory(dir.Path);
        var first = new FakeLoop(TrainingRunnerTests.Config());
        RunTo(new TrainingRunner(first, run, _ => { }), first, 69);                  // checkpoint at 42, rows past it to 69; then killed
        Assert.Equal([42L], first.Saved);

        // What mtl train --resume does: drop what lies past the checkpoint, then continue from it.
        new MetricsLog(run.MetricsPath).TruncateAfter(42);
        new TensorBoardLog(run.Path).TruncateAfter(42);
        var resumed = new FakeLoop(TrainingRunnerTests.Config()) { FramesPerGame = 42, Updates = 14 };
        var runner = new TrainingRunner(resumed, run, _ => { }, wallSeconds: 1, resumed: true);
        while (!runner.Done) runner.Step();
        runner.Finish();

        var scalars = Scalars(dir.Path);
        Assert.All(scalars.GroupBy(s => (s.Tag, s.Step)), g => Assert.Single(g));
        Assert.Equal(Scalars(reference.Path).Select(s => (s.Tag, s.Step)).Order(), scalars.Select(s => (s.Tag, s.Step)).Order());
        Assert.Equal(TrainSteps, Steps(scalars, "Breakout-v1/loss"));
        Assert.Equal(EvalSteps, Steps(scalars, "Breakout-v1/eval_return_mean"));
        Assert.Equal(GradientSteps, Steps(scalars, "Breakout-v1/gradient_norm"));

        // Two files: the first cut at the checkpoint, the resumed process's own opened by a START just past it.
        var files = TensorBoardEvents.Files(dir.Path).Select(f => TensorBoardEvents.Read(f)).OrderBy(events => events[1].Step).ToList();
        Assert.Equal(2, files.Count);
        Assert.All(files[0], e => Assert.InRange(e.Step, 0, 42));
        var starts = files.Select(events => events[1]).ToList();                      // each file: version record, then START
        Assert.Equal([1L, 43], starts.Select(e => e.Step));
        Assert.All(starts, e => Assert.Equal(SessionLog.Types.SessionStatus.Start, e.SessionLog.Status));
        Assert.Equal("step-42", starts[1].SessionLog.CheckpointPath);
        Assert.All(files[1].Skip(2), e => Assert.True(e.Step > 42));
    }

    [Fact]
    public void ATornTailIsDroppedOnResume_AndTheRecordsBeforeItStayReadable()
    {
        using var dir = new TempDir();
        var run = new RunDirectory(dir.Path);
        var loop = new FakeLoop(TrainingRunnerTests.Config());
        RunTo(new TrainingRunner(loop, run, _ => { }), loop, 42);                     // last record: the training row at 42
        var path = Assert.Single(TensorBoardEvents.Files(dir.Path));
        var whole = File.ReadAllBytes(path);
        File.WriteAllBytes(path, whole[..^9]);                                       // a kill in the middle of that record
        Assert.Throws<InvalidDataException>(() => TensorBoardEvents.Read(path));
        var before = TensorBoardEvents.Read(path, tolerateTornTail: true);
        Assert.Equal([12L, 21, 30], Steps(TensorBoardEvents.Scalars(before), "Breakout-v1/loss"));

        new TensorBoardLog(run.Path).TruncateAfter(42);                              // the checkpoint's own step: dropped for being torn
        var kept = TensorBoardEvents.Read(path);                                     // strict: every record whole, every checksum right
        Assert.Equal(before, kept);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(TfRecord.Scan(whole).Records[^1].Offset, bytes.Length);         // cut where the torn record began
        Assert.Equal(whole[..bytes.Length], bytes);                                  // the records kept are the bytes written
    }

    [Fact]
    public void TensorboardOff_WritesNoEventFile()
    {
        using var dir = new TempDir();
        var config = TrainingRunnerTests.Config() with { Run = TrainingRunnerTests.Config().Run with { Tensorboard = false } };
        var runner = new TrainingRunner(new FakeLoop(config), new RunDirectory(dir.Path), _ => { });
        while (!runner.Done) runner.Step();
        runner.Finish();
        Assert.NotEmpty(new MetricsLog(Path.Combine(dir.Path, "metrics.jsonl")).Read());
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "*tfevents*"));
    }
}
