namespace MtlAgent.Agent.Evaluation;

/// <summary>How a policy is evaluated: episodes per game, exploration, seeding and the episode cap.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Episodes per game (MinAtar paper reports means over many episodes; 30 keeps the standard error small).</summary>
    public int Episodes { get; init; } = 30;

    /// <summary>Probability of a uniformly random action instead of the greedy one (the usual DQN evaluation epsilon).</summary>
    public double Epsilon { get; init; } = 0.05;

    /// <summary>Master seed: every episode's environment seed and exploration stream derive from it.</summary>
    public int Seed { get; init; } = 0;

    /// <summary>
    /// Steps after which an episode is cut and counted as truncated (a stuck greedy policy could otherwise play forever).
    /// </summary>
    public int MaxEpisodeSteps { get; init; } = 100_000;

    /// <summary>Checks the values and throws <see cref="ArgumentException"/> naming the bad one and the accepted range.</summary>
    public EvaluationOptions Validate()
    {
        if (Episodes < 1) throw new ArgumentException($"episodes must be at least 1, got {Episodes}");
        if (!(Epsilon >= 0 && Epsilon <= 1)) throw new ArgumentException($"epsilon must be in [0, 1], got {Epsilon}");
        if (MaxEpisodeSteps < 1) throw new ArgumentException($"max steps must be at least 1, got {MaxEpisodeSteps}");
        return this;
    }
}
