namespace MtlAgent.Agent.Configuration;

/// <summary>Options passed to every environment of a run.</summary>
public sealed record EnvConfig
{
    /// <summary>Probability that the previous action repeats (MinAtar default 0.1).</summary>
    public double StickyActionProb { get; init; } = 0.1;

    /// <summary>Difficulty ramping in Asterix, Seaquest and Space Invaders (MinAtar default on).</summary>
    public bool DifficultyRamping { get; init; } = true;

    /// <summary>Optional cap on episode steps (truncation); null = none, as in the original.</summary>
    public int? MaxEpisodeSteps { get; init; } = null;

    /// <summary>Copies of each game stepped together by the vector environment.</summary>
    public int EnvsPerGame { get; init; } = 1;
}
