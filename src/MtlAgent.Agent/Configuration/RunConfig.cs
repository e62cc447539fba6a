namespace MtlAgent.Agent.Configuration;

/// <summary>Cadence of logs, metrics, evaluations and checkpoints, in frames per game.</summary>
public sealed record RunConfig
{
    /// <summary>Frames per game between metrics rows and progress lines.</summary>
    public long LogEveryFrames { get; init; } = 10_000;

    /// <summary>Frames per game between greedy evaluations; 0 = none (the MinAtar metric uses training episodes).</summary>
    public long EvalEveryFrames { get; init; } = 0;

    /// <summary>Episodes per game in each evaluation during training.</summary>
    public int EvalEpisodes { get; init; } = 10;

    /// <summary>Epsilon of evaluation episodes.</summary>
    public double EvalEpsilon { get; init; } = 0.05;

    /// <summary>Steps after which an evaluation episode during training is cut (counted as truncated).</summary>
    public int EvalMaxEpisodeSteps { get; init; } = 10_000;

    /// <summary>Frames per game between checkpoints (also written at the end and on Ctrl+C/SIGTERM).</summary>
    public long CheckpointEveryFrames { get; init; } = 250_000;

    /// <summary>Checkpoints kept; older ones are deleted.</summary>
    public int KeepCheckpoints { get; init; } = 3;

    /// <summary>Whether every metrics row also goes to TensorBoard event files in the run directory.</summary>
    public bool Tensorboard { get; init; } = true;
}
