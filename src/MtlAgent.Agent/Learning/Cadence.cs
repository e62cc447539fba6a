using MtlAgent.Agent.Configuration;

namespace MtlAgent.Agent.Learning;

/// <summary>When updates and target copies happen (MinAtar examples/dqn.py semantics), as pure functions.</summary>
public static class Cadence
{
    /// <summary>
    /// Whether an update follows round-robin step <paramref name="steps"/> (1-based), after which each game has acted
    /// <paramref name="framesPerGame"/> frames: only once frames exceed <c>LearningStarts</c> (the reference's
    /// <c>t &gt; REPLAY_START_SIZE</c>), then every <c>UpdatePeriod</c> steps.
    /// </summary>
    public static bool UpdateDue(LearnerConfig config, long framesPerGame, long steps) =>
        framesPerGame > config.LearningStarts && steps % config.UpdatePeriod == 0;

    /// <summary>
    /// Whether update number <paramref name="updates"/> (1-based) measures gradient conflicts: every <c>monitor.gradient_every</c> updates.
    /// </summary>
    public static bool GradientProbeDue(MonitorConfig config, long updates) =>
        config.GradientEvery > 0 && updates % config.GradientEvery == 0;

    /// <summary>
    /// Whether the target network is copied after update number <paramref name="updates"/> (1-based): every
    /// <c>TargetUpdatePeriod</c> updates.
    /// </summary>
    public static bool TargetSyncDue(LearnerConfig config, long updates) => updates % config.TargetUpdatePeriod == 0;
}
