using System.Diagnostics;
using System.Globalization;
using MtlAgent.Agent.IO;

namespace MtlAgent.Agent.Checkpoints;

/// <summary>
/// The checkpoints of one run directory: <c>step-&lt;frames&gt;/</c> directories and the <c>latest</c> file naming the
/// newest complete one. A checkpoint is built under <c>.tmp-step-&lt;frames&gt;/</c>, synced to disk and renamed into
/// place; only then does <c>latest</c> move (written atomically). A kill at any moment leaves <c>latest</c> naming a
/// complete checkpoint; leftovers are removed by <see cref="CleanStaleTemporaries"/> and
/// <see cref="DiscardCheckpointsAfter"/> when the run resumes.
/// </summary>
public sealed class CheckpointStore(string runDirectory)
{
    private const string StepPrefix = "step-";
    private const string TempPrefix = ".tmp-";

    /// <summary>
    /// Test hook: <c>N</c> or <c>N:renamed</c> kills this process (SIGKILL) during its N-th checkpoint, before or after the rename.
    /// </summary>
    public const string KillHookVariable = "MTL_TEST_KILL_DURING_CHECKPOINT";

    /// <summary>Name of the file naming the newest complete checkpoint.</summary>
    public const string LatestFile = "latest";

    private int _written;

    /// <summary>The run directory.</summary>
    public string RunDirectory { get; } = Path.GetFullPath(runDirectory);

    /// <summary>The <c>latest</c> file.</summary>
    public string LatestPath => Path.Combine(RunDirectory, LatestFile);

    /// <summary>Directory name of the checkpoint taken at <paramref name="framesPerGame"/>.</summary>
    public static string CheckpointName(long framesPerGame) => StepPrefix + framesPerGame.ToString(CultureInfo.InvariantCulture);

    /// <summary>Frames per game of a checkpoint directory, from its name.</summary>
    public static long FramesOf(string checkpointDirectory)
    {
        var name = Path.GetFileName(checkpointDirectory.TrimEnd('/'));
        if (!name.StartsWith(StepPrefix, StringComparison.Ordinal)
            || !long.TryParse(name[StepPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var frames))
            throw new CheckpointException($"'{checkpointDirectory}' is not named like a checkpoint ({StepPrefix}<frames>)");
        return frames;
    }

    /// <summary>
    /// The one resolver: the checkpoint directory meant by <paramref name="path"/>, which is a checkpoint itself (it holds
    /// a manifest, or schema 1's state.json) or a run directory whose <c>latest</c> file names one.
    /// </summary>
    public static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        if (IsCheckpoint(full)) return full;
        if (File.Exists(Path.Combine(full, LatestFile))) return new CheckpointStore(full).Latest()!;
        if (!Directory.Exists(full)) throw new CheckpointException($"checkpoint path '{path}' does not exist");
        throw new CheckpointException(
            $"'{path}' is neither a checkpoint (no {CheckpointFormat.Manifest}) nor a run directory (no {LatestFile} file)");
    }

    /// <summary>Whether <paramref name="directory"/> is a checkpoint of any known schema.</summary>
    public static bool IsCheckpoint(string directory) =>
        File.Exists(Path.Combine(directory, CheckpointFormat.Manifest))
        || File.Exists(Path.Combine(directory, CheckpointFormat.LegacyState));

    /// <summary>Whether the run directory already holds checkpoints or a <c>latest</c> file.</summary>
    public bool Any => File.Exists(LatestPath) || All().Count > 0;

    /// <summary>Complete checkpoints, oldest first, as (frames per game, directory).</summary>
    public IReadOnlyList<(long Frames, string Directory)> All() =>
        !Directory.Exists(RunDirectory) ? [] :
        Directory.EnumerateDirectories(RunDirectory, StepPrefix + "*")
            .Select(d => (
                Ok: long.TryParse(Path.GetFileName(d)[StepPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var f),
                Frames: f, Dir: d))
            .Where(x => x.Ok)
            .OrderBy(x => x.Frames)
            .Select(x => (x.Frames, x.Dir))
            .ToList();

    /// <summary>The checkpoint directory named by <c>latest</c>, or null when the run has none yet.</summary>
    public string? Latest()
    {
        if (!File.Exists(LatestPath)) return null;
        var name = File.ReadAllText(LatestPath).Trim();
        var dir = Path.Combine(RunDirectory, name);
        if (!name.StartsWith(StepPrefix, StringComparison.Ordinal) || !Directory.Exists(dir))
            throw new CheckpointException($"'{LatestPath}' names '{name}', which is not a checkpoint directory of this run");
        return dir;
    }

    /// <summary>Removes leftovers of an interrupted checkpoint or pointer write.</summary>
    public void CleanStaleTemporaries()
    {
        if (!Directory.Exists(RunDirectory)) return;
        foreach (var dir in Directory.EnumerateDirectories(RunDirectory, TempPrefix + "*")) Directory.Delete(dir, recursive: true);
        foreach (var file in Directory.EnumerateFiles(RunDirectory).Where(Durable.IsTemporary)) File.Delete(file);
    }

    /// <summary>
    /// Deletes complete checkpoints newer than <paramref name="framesPerGame"/>: left by a crash between renaming a
    /// checkpoint and moving <c>latest</c>, they belong to a history the resumed run rewrites.
    /// </summary>
    public void DiscardCheckpointsAfter(long framesPerGame)
    {
        foreach (var (frames, dir) in All())
            if (frames > framesPerGame) Discard(dir);
    }

    /// <summary>
    /// Writes checkpoint <c>step-&lt;frames&gt;</c>: <paramref name="save"/> fills an empty temporary directory, which is
    /// synced and renamed; then <c>latest</c> is replaced atomically and checkpoints beyond <paramref name="keep"/> are
    /// deleted, oldest first. Returns the checkpoint directory.
    /// </summary>
    public string Write(long framesPerGame, int keep, Action<string> save)
    {
        var name = CheckpointName(framesPerGame);
        var temp = Path.Combine(RunDirectory, TempPrefix + name);
        var final = Path.Combine(RunDirectory, name);
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        save(temp);
        Durable.SyncTree(temp);
        _written++;
        KillIfHooked("written");
        // A same-named checkpoint can only be a leftover past `latest` (written, then killed before the pointer moved).
        if (Directory.Exists(final)) Discard(final);
        Directory.Move(temp, final);
        Durable.SyncDirectory(RunDirectory);
        KillIfHooked("renamed");
        Durable.WriteAllText(LatestPath, name + "\n");
        Prune(keep, final);
        return final;
    }

    private void Prune(int keep, string latest)
    {
        var all = All();
        foreach (var (_, dir) in all.Take(Math.Max(0, all.Count - keep)))
            if (dir != latest) Discard(dir);
    }

    // Renamed away first so a crash mid-delete leaves a temporary (cleaned at the next start), not a broken step-N.
    private void Discard(string dir)
    {
        var doomed = Path.Combine(RunDirectory, TempPrefix + "old-" + Path.GetFileName(dir));
        if (Directory.Exists(doomed)) Directory.Delete(doomed, recursive: true);
        Directory.Move(dir, doomed);
        Directory.Delete(doomed, recursive: true);
    }

    private void KillIfHooked(string phase)
    {
        var hook = Environment.GetEnvironmentVariable(KillHookVariable);
        if (string.IsNullOrEmpty(hook)) return;
        var parts = hook.Split(':');
        var wantedPhase = parts.Length > 1 ? parts[1] : "written";
        if (parts[0] == _written.ToString(CultureInfo.InvariantCulture) && wantedPhase == phase)
        {
            Process.GetCurrentProcess().Kill();
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
