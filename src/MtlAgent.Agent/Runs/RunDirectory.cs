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

    private string Combine(string name) => System.IO.Path.Combine(Path, name);
}
