namespace MtlAgent.Agent.Configuration;

/// <summary>PopArt per game (van Hasselt et al. 2016; Hessel et al. 2019).</summary>
public sealed record PopArtConfig
{
    /// <summary>Normalise each game's targets and preserve its head's outputs; false = plain DQN.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Step size of the running moments (multi-task PopArt paper: 3e-4).</summary>
    public double Beta { get; init; } = 3e-4;

    /// <summary>Lower clamp of sigma (multi-task PopArt paper: 1e-4).</summary>
    public double SigmaMin { get; init; } = 1e-4;

    /// <summary>Upper clamp of sigma (multi-task PopArt paper: 1e6).</summary>
    public double SigmaMax { get; init; } = 1e6;
}
