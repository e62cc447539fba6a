namespace MtlAgent.Agent.Configuration;

/// <summary>How games share acting, sampling and the loss.</summary>
public sealed record TaskConfig
{
    /// <summary>Loss weighting across games: <c>uniform</c> or <c>worst_case</c>.</summary>
    public string Weighting { get; init; } = "uniform";

    /// <summary>Temperature of the worst-case softmax over negative normalised scores (smaller = sharper).</summary>
    public double Temperature { get; init; } = 0.5;

    /// <summary>Optional explicit relative share of each game's rows in a batch, keyed by env id; null = equal.</summary>
    public IReadOnlyDictionary<string, double>? GameWeights { get; init; } = null;
}
