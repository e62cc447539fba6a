namespace MtlAgent.Agent.Configuration;

/// <summary>Epsilon-greedy schedule, in frames of each game.</summary>
public sealed record ExplorationConfig
{
    /// <summary>Frames of uniform random acting before the schedule starts (MinAtar REPLAY_START_SIZE: 5,000).</summary>
    public long RandomFrames { get; init; } = 5_000;

    /// <summary>Epsilon when the schedule starts (MinAtar EPSILON: 1.0).</summary>
    public double Start { get; init; } = 1.0;

    /// <summary>Final epsilon (MinAtar END_EPSILON: 0.1).</summary>
    public double End { get; init; } = 0.1;

    /// <summary>Frames of linear decay from Start to End (MinAtar FIRST_N_FRAMES: 100,000).</summary>
    public long DecayFrames { get; init; } = 100_000;
}
