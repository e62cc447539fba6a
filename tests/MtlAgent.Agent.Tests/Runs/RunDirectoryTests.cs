using MtlAgent.Agent.Checkpoints;
using MtlAgent.Agent.Runs;
using MtlAgent.Agent.Tests.Support;
using MtlAgent.Agent.Training;

namespace MtlAgent.Agent.Tests.Runs;

public sealed class RunDirectoryTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _root;
    private readonly RunDirectory _run;

    public RunDirectoryTests()
    {
        _root = _dir.Path;
        _run = new RunDirectory(_root);
    }

    public void Dispose() => _dir.Dispose();

    private static void Save(string dir) => File.WriteAllText(Path.Combine(dir, "manifest.json"), "{}");

    [Fact]
    public void WriteCheckpoint_RenamesIntoPlace_MovesLatest_AndKeepsTheNewest()
    {
        Assert.False(_run.HoldsRun);
        foreach (var frames in new long[] { 100, 200, 300 }) _run.Checkpoints.Write(frames, keep: 2, Save);
        Assert.True(_run.HoldsRun);
        Assert.Equal([200L, 300], _run.Checkpoints.All().Select(c => c.Frames));
        Assert.Equal("step-300", File.ReadAllText(_run.Checkpoints.LatestPath).Trim());
        Assert.Equal(Path.Combine(_run.Path, "step-300"), _run.Checkpoints.Latest());
        Assert.Equal(_run.Checkpoints.Latest(), CheckpointStore.Resolve(_root));
        Assert.Equal(300, CheckpointStore.FramesOf(_run.Checkpoints.Latest()!));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root, ".tmp*"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root, "*.tmp"));
    }

    [Fact]
    public void AFailedSave_LeavesLatestAlone_AndItsLeftoversAreCleaned()
    {
        _run.Checkpoints.Write(100, keep: 3, Save);
        Assert.Throws<CheckpointException>(() => _run.Checkpoints.Write(200, keep: 3, dir =>
        {
            File.WriteAllText(Path.Combine(dir, "model.safetensors"), "half");
            throw new CheckpointException("disk full");
        }));
        Assert.Equal("step-100", Path.GetFileName(_run.Checkpoints.Latest()));
        Assert.True(Directory.Exists(Path.Combine(_root, ".tmp-step-200")));
        _run.Checkpoints.CleanStaleTemporaries();
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root, ".tmp*"));
        Assert.Equal([100L], _run.Checkpoints.All().Select(c => c.Frames));
    }

    [Fact]
    public void CheckpointsNewerThanLatest_AreDiscarded_AndRewritten()
    {
        _run.Checkpoints.Write(100, keep: 3, Save);
        Directory.CreateDirectory(Path.Combine(_root, "step-200"));                       // renamed, then killed before `latest` moved
        _run.Checkpoints.DiscardCheckpointsAfter(100);
        Assert.Equal([100L], _run.Checkpoints.All().Select(c => c.Frames));
        Directory.CreateDirectory(Path.Combine(_root, "step-200"));
        _run.Checkpoints.Write(200, keep: 3, Save);                                          // replaces a leftover of the same name
        Assert.True(File.Exists(Path.Combine(_root, "step-200", "manifest.json")));
    }

    [Fact]
    public void MetricsTruncation_DropsRowsPastTheCheckpoint_AndATornLastLine()
    {
        File.WriteAllText(_run.MetricsPath,
            "{\"frames_per_game\":100}\n{\"frames_per_game\":200}\n{\"frames_per_game\":300}\n{\"frames_per_ga");
        var metrics = new MetricsLog(_run.MetricsPath);
        metrics.TruncateAfter(200);
        Assert.Equal([100L, 200], metrics.Read().Select(r => r.GetProperty("frames_per_game").GetInt64()));
    }

    [Fact]
    public void ReadingMetrics_SkipsATornLastLine_AsARunKilledMidRowLeavesIt()
    {
        File.WriteAllText(_run.MetricsPath, "{\"frames_per_game\":100}\n{\"frames_per_game\":200}\n{\"frames_per_ga");
        Assert.Equal([100L, 200], new MetricsLog(_run.MetricsPath).Read().Select(r => r.GetProperty("frames_per_game").GetInt64()));
    }

    private static GameSnapshot Game(double lossTotal, long lossUpdates) =>
        new("MinAtar/Breakout-v0", 0, null, null, 1.0, lossTotal, lossUpdates, 0, 1, 1, false, false);

    private static TrainingSnapshot Snapshot(long frames, long updates, GameSnapshot game) =>
        new(frames, updates, [game], null, null, null, null);

    [Fact]
    public void MetricsRow_WritesUnknownAndNonFiniteNumbersAsNull()
    {
        var row = MetricsLog.Row(Snapshot(10, 0, Game(0, 0)), previous: null, framesPerSecond: 12.5, wallSeconds: 1.0);
        Assert.Contains("\"return\":null", row);
        Assert.Contains("\"loss\":null", row);
        Assert.Contains("\"worst_game\":null", row);
        Assert.Contains("\"frames_per_second\":12.5", row);
        Assert.Contains("\"loss\":null", MetricsLog.Row(Snapshot(10, 1, Game(double.NaN, 1)), null, 1, 1));
    }

    [Fact]
    public void MetricsRow_LossIsTheMeanOverTheUpdatesSinceThePreviousRow()
    {
        var first = Snapshot(10, 10, Game(10 * 1.0, 10));                  // 10 updates at 1.0
        var second = Snapshot(20, 40, Game(10 * 1.0 + 30 * 2.0, 40));      // then 30 at 2.0
        Assert.Equal(1.0, first.LossesSince(null)[0]);
        Assert.Equal(2.0, second.LossesSince(first)[0]);
        Assert.Equal(1.75, second.LossesSince(null)[0]!.Value, 12);
        Assert.Contains("\"loss\":2,", MetricsLog.Row(second, first, 1, 1));
        Assert.Null(second.LossesSince(second)[0]);                        // no update since: no loss
    }
}
