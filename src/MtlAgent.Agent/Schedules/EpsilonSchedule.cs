using MtlAgent.Agent.Configuration;

namespace MtlAgent.Agent.Schedules;

/// <summary>The MinAtar reference exploration schedule, in frames of one game.</summary>
public static class EpsilonSchedule
{
    /// <summary>
    /// Epsilon after <paramref name="frame"/> frames: 1 (uniform random) before <c>RandomFrames</c>, then linear from
    /// <c>Start</c> to <c>End</c> over <c>DecayFrames</c>, then <c>End</c> (examples/dqn.py: 1.0 at t = 5,000 to 0.1 at t = 105,000).
    /// </summary>
    public static double Value(ExplorationConfig config, long frame)
    {
        if (frame < config.RandomFrames) return 1.0;
        if (config.DecayFrames <= 0) return config.End;
        double progress = Math.Min(1.0, (frame - config.RandomFrames) / (double)config.DecayFrames);
        return config.Start + (config.End - config.Start) * progress;
    }
}
