using MessagePack;

namespace MtlAgent.Agent.Checkpoints.Contracts;

/// <summary>
/// <c>trainer.msgpack</c>, schema 2: everything of a trainer that is neither a tensor nor a replay. Keys are the file
/// layout: never renumber one. An optional member may be added under a new key (files written before it read it as
/// nil, so they still load); any other change of layout raises <see cref="CheckpointFormat.Schema"/>.
/// </summary>
[MessagePackObject]
public sealed record TrainerStateContract
{
    /// <summary>Layout version; must equal the manifest's.</summary>
    [Key(0)] public int Schema { get; init; }
    /// <summary>Frames each game has acted.</summary>
    [Key(1)] public long FramesPerGame { get; init; }
    /// <summary>Gradient updates done.</summary>
    [Key(2)] public long Updates { get; init; }
    /// <summary>Round-robin steps done.</summary>
    [Key(3)] public long Steps { get; init; }
    /// <summary>xoshiro256** state of the acting stream (4 words).</summary>
    [Key(4)] public required ulong[] ActingRng { get; init; }
    /// <summary>xoshiro256** state of the replay-sampling stream (4 words).</summary>
    [Key(5)] public required ulong[] ReplayRng { get; init; }
    /// <summary>Each environment copy's complete state (<c>MinAtarEnv.GetState</c>), row g * EnvsPerGame + e.</summary>
    [Key(6)] public required byte[][] EnvStates { get; init; }
    /// <summary>Return so far of each environment copy's running episode (also in its state; checked against it).</summary>
    [Key(7)] public required double[] EpisodeReturns { get; init; }
    /// <summary>Worst-case monitor state per game, in head order.</summary>
    [Key(8)] public required GameMonitorContract[] Monitor { get; init; }
    /// <summary>Training wall time of the run so far, across resumes (seconds).</summary>
    [Key(9)] public double WallSeconds { get; init; }
    /// <summary>
    /// State of the learned task weighting (<c>tasks.weighting</c> gradnorm or uncertainty); nil for the other weightings
    /// and in files written before it was added.
    /// </summary>
    [Key(10)] public LearnedWeightingContract? TaskWeighting { get; init; }
}

/// <summary>A learned task weighting's state, per game in head order (<c>Tasks.LearnedWeightingState</c>).</summary>
[MessagePackObject]
public sealed record LearnedWeightingContract
{
    /// <summary>GradNorm: the weights; uncertainty: the log-variances.</summary>
    [Key(0)] public required double[] Values { get; init; }
    /// <summary>GradNorm: each game's first loss (NaN before its first update); uncertainty: empty.</summary>
    [Key(1)] public required double[] InitialLosses { get; init; }
    /// <summary>The weighting's Adam: first moment estimates.</summary>
    [Key(2)] public required double[] AdamFirst { get; init; }
    /// <summary>The weighting's Adam: second moment estimates.</summary>
    [Key(3)] public required double[] AdamSecond { get; init; }
    /// <summary>The weighting's Adam: steps per game.</summary>
    [Key(4)] public required long[] AdamSteps { get; init; }
}

/// <summary>One game's worst-case monitor state.</summary>
[MessagePackObject]
public sealed record GameMonitorContract
{
    /// <summary>Training episodes finished.</summary>
    [Key(0)] public long Episodes { get; init; }
    /// <summary>Returns of the most recent episodes, oldest first (at most the monitor's window).</summary>
    [Key(1)] public required double[] RecentReturns { get; init; }
    /// <summary>Best normalised score so far, if any.</summary>
    [Key(2)] public double? BestScore { get; init; }
    /// <summary>Frames per game when the best score was set.</summary>
    [Key(3)] public long BestFrame { get; init; }
}
