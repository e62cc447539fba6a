using MtlAgent.Agent.Checkpoints;

namespace MtlAgent.Agent.Runs;

/// <summary>
/// Layout of a training run on disk: config.yaml, train.log, metrics.jsonl, and its checkpoints
/// (<see cref="CheckpointStore"/>: <c>step-&lt;frames&gt;/</c> and the <c>latest</c> pointer).
/// </summary>
public sealed class RunDirectory(string path)
{
    /// <summary>The run directory.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>The resolved config of the run.</summary>
    public string ConfigPath => Combine("config.yaml");

    /// <summary>The run's log (appended to on resume).</summary>
    public string LogPath => Combine("train.log");

    /// <summary>One JSON object per log interval.</summary>
    public string MetricsPath => Combine("metrics.jsonl");

    /// <summary>The run's checkpoints.</summary>
    public CheckpointStore Checkpoints { get; } = new(path);

    /// <summary>True when the directory already holds (part of) a run.</summary>
    public bool HoldsRun => File.Exists(ConfigPath) || Checkpoints.Any;

    /// <summary>
    /// Takes the run directory for this process (an exclusive lock on its <c>.lock</c> file, released when the process
    /// ends, even by a kill); throws <see cref="IOException"/> naming the directory when another process holds it.
    /// </summary>
    public IDisposable Lock()
    {
        var path = Combine(".lock");
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            // The held lock file cannot be read; the holder leaves its pid beside it.
            var holder = File.Exists(path + ".pid") ? File.ReadAllText(path + ".pid").Trim() : "?";
            throw new IOException(
                $"run directory '{Path}' is in use by another mtl process (pid {holder}); wait for it to end or stop it first", e);
        }
        File.WriteAllText(path + ".pid", $"{Environment.ProcessId}\n");
        return stream;
    }

    private string Combine(string name) => System.IO.Path.Combine(Path, name);
}
