using MessagePack;

namespace MtlAgent.Agent.Checkpoints.Contracts;

/// <summary>
/// <c>trainer.msgpack</c>, schema 2: everything of a trainer that is neither a tensor nor a replay. Keys are the file
/// layout: never renumber one; add new fields under new keys and raise <see cref="CheckpointFormat.Schema"/>.
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
