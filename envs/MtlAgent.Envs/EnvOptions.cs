namespace MtlAgent.Envs;

/// <summary>Environment parameters (MinAtar's defaults, plus an optional time limit of ours).</summary>
public sealed record EnvOptions
{
    /// <summary>Probability that the previous applied action repeats instead of the chosen one (MinAtar default 0.1).</summary>
    public double StickyActionProb { get; init; } = 0.1;

    /// <summary>Whether Asterix, Seaquest and Space Invaders get harder over time (MinAtar default true).</summary>
    public bool DifficultyRamping { get; init; } = true;

    /// <summary>Truncate an episode after this many steps; null means no cap (as upstream). Our addition.</summary>
    public int? MaxEpisodeSteps { get; init; }

    /// <summary>The defaults.</summary>
    public static EnvOptions Default { get; } = new();

    /// <summary>Throws if a value is out of range.</summary>
    public void Validate()
    {
        if (!(StickyActionProb >= 0 && StickyActionProb <= 1))
            throw new ArgumentOutOfRangeException(
                nameof(StickyActionProb), StickyActionProb, "sticky action probability must be within [0, 1]");
        if (MaxEpisodeSteps is <= 0)
            throw new ArgumentOutOfRangeException(
                nameof(MaxEpisodeSteps), MaxEpisodeSteps, "max episode steps must be positive (or null for no cap)");
    }
}
