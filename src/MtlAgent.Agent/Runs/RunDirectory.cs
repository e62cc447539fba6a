using System.Diagnostics;
using System.Globalization;

namespace MtlAgent.Agent.Runs;

/// <summary>
/// Layout of a training run on disk: config.yaml, train.log, metrics.jsonl, checkpoints
/// <c>step-&lt;frames&gt;/</c> and a <c>latest</c> file naming the newest complete one.
/// Checkpoints are built under <c>.tmp-step-&lt;frames&gt;</c> and renamed when complete.
/// </summary>
public sealed class RunDirectory(string path)
{
    const string StepPrefix = "step-";
    const string TempPrefix = ".tmp-";

    /// <summary>Test hook: <c>N</c> or <c>N:renamed</c> kills this process (SIGKILL) during its N-th checkpoint, before or after the rename.</summary>
    public const string KillHookVariable = "MTL_TEST_KILL_DURING_CHECKPOINT";

    int _checkpointsWritten;

    /// <summary>The run directory.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>The resolved config of the run.</summary>
    public string ConfigPath => Combine("config.yaml");

    /// <summary>The run's log (appended to on resume).</summary>
    public string LogPath => Combine("train.log");

    /// <summary>One JSON object per log interval.</summary>
    public string MetricsPath => Combine("metrics.jsonl");

    /// <summary>Run-level state kept with each checkpoint (wall time so far), next to the trainer's files.</summary>
    public const string RunStateFile = "run.json";

    /// <summary>Text file holding the name of the newest complete checkpoint directory.</summary>
    public string LatestPath => Combine("latest");

    /// <summary>Directory name of the checkpoint taken at <paramref name="framesPerGame"/>.</summary>
    public static string CheckpointName(long framesPerGame) => StepPrefix + framesPerGame.ToString(CultureInfo.InvariantCulture);

    /// <summary>True when the directory already holds (part of) a run.</summary>
    public bool HoldsRun =>
        File.Exists(ConfigPath) || File.Exists(LatestPath)
        || (Directory.Exists(Path) && Directory.EnumerateDirectories(Path, StepPrefix + "*").Any());

    /// <summary>Complete checkpoints, oldest first, as (frames per game, directory).</summary>
    public IReadOnlyList<(long Frames, string Directory)> Checkpoints() =>
        !Directory.Exists(Path) ? [] :
        Directory.EnumerateDirectories(Path, StepPrefix + "*")
            .Select(d => (Ok: long.TryParse(System.IO.Path.GetFileName(d)[StepPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var f), Frames: f, Dir: d))
            .Where(x => x.Ok)
            .OrderBy(x => x.Frames)
            .Select(x => (x.Frames, x.Dir))
            .ToList();

    /// <summary>The checkpoint directory named by <c>latest</c>, or null when the run has none yet.</summary>
    public string? LatestCheckpoint()
    {
        if (!File.Exists(LatestPath)) return null;
        var name = File.ReadAllText(LatestPath).Trim();
        var dir = Combine(name);
        if (!name.StartsWith(StepPrefix, StringComparison.Ordinal) || !Directory.Exists(dir))
            throw new IOException($"'{LatestPath}' names '{name}', which is not a checkpoint directory of this run");
        return dir;
    }

    /// <summary>Frames per game of a checkpoint directory, from its name.</summary>
    public static long FramesOf(string checkpointDirectory) =>
        long.Parse(System.IO.Path.GetFileName(checkpointDirectory.TrimEnd('/'))[StepPrefix.Length..], CultureInfo.InvariantCulture);

    /// <summary>A checkpoint directory, or a run directory meaning its latest checkpoint.</summary>
    public static string ResolveCheckpoint(string path)
    {
        var run = new RunDirectory(path);
        if (File.Exists(run.LatestPath)) return run.LatestCheckpoint()!;
        if (Directory.Exists(path)) return System.IO.Path.GetFullPath(path);
        throw new DirectoryNotFoundException($"checkpoint '{path}' does not exist");
    }

    /// <summary>Removes leftovers of an interrupted checkpoint or pointer write.</summary>
    public void CleanStaleTemporaries()
    {
        if (!Directory.Exists(Path)) return;
        foreach (var dir in Directory.EnumerateDirectories(Path, TempPrefix + "*")) Directory.Delete(dir, recursive: true);
        foreach (var file in Directory.EnumerateFiles(Path, "*.tmp")) File.Delete(file);
    }

    /// <summary>
    /// Deletes complete checkpoints newer than <paramref name="framesPerGame"/>: left by a crash between
    /// renaming a checkpoint and moving <c>latest</c>, they belong to a history the resumed run rewrites.
    /// </summary>
    public void DiscardCheckpointsAfter(long framesPerGame)
    {
        foreach (var (frames, dir) in Checkpoints())
            if (frames > framesPerGame) Discard(dir);
    }

    /// <summary>
    /// Writes checkpoint <c>step-&lt;frames&gt;</c>: <paramref name="save"/> fills a temporary directory, which is
    /// synced and renamed; then <c>latest</c> is replaced atomically and checkpoints beyond
    /// <paramref name="keep"/> are deleted, oldest first. Returns the checkpoint directory.
    /// </summary>
    public string WriteCheckpoint(long framesPerGame, int keep, Action<string> save)
    {
        var name = CheckpointName(framesPerGame);
        var temp = Combine(TempPrefix + name);
        var final = Combine(name);
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        save(temp);
        Durable.SyncTree(temp);
        _checkpointsWritten++;
        KillIfHooked("written");
        // A same-named checkpoint can only be a leftover past `latest` (written, then killed before the pointer moved).
        if (Directory.Exists(final)) Discard(final);
        Directory.Move(temp, final);
        Durable.SyncDirectory(Path);
        KillIfHooked("renamed");
        Durable.WriteAllText(LatestPath, name + "\n");
        Prune(keep, final);
        return final;
    }

    void Prune(int keep, string latest)
    {
        var all = Checkpoints();
        foreach (var (_, dir) in all.Take(Math.Max(0, all.Count - keep)))
            if (dir != latest) Discard(dir);
    }

    // Renamed away first so a crash mid-delete leaves a temporary (cleaned at the next start), not a broken step-N.
    void Discard(string dir)
    {
        var doomed = Combine(TempPrefix + "old-" + System.IO.Path.GetFileName(dir));
        if (Directory.Exists(doomed)) Directory.Delete(doomed, recursive: true);
        Directory.Move(dir, doomed);
        Directory.Delete(doomed, recursive: true);
    }

    void KillIfHooked(string phase)
    {
        var hook = Environment.GetEnvironmentVariable(KillHookVariable);
        if (string.IsNullOrEmpty(hook)) return;
        var parts = hook.Split(':');
        var wantedPhase = parts.Length > 1 ? parts[1] : "written";
        if (parts[0] == _checkpointsWritten.ToString(CultureInfo.InvariantCulture) && wantedPhase == phase)
        {
            Process.GetCurrentProcess().Kill();
            Thread.Sleep(Timeout.Infinite);
        }
    }

    string Combine(string name) => System.IO.Path.Combine(Path, name);
}
