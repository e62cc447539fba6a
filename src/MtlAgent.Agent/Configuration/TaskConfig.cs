namespace MtlAgent.Agent.Configuration;

/// <summary>How games share acting, sampling and the loss.</summary>
public sealed record TaskConfig
{
    /// <summary>
    /// How updates draw from the games' replays: <c>balanced</c>, every update mixes all games (batch_per_game rows each);
    /// <c>round_robin</c>, each update draws batch_per_game rows of one game, the games in turn, one update per game per
    /// update period (the same samples per frame of each game, K times the optimizer steps).
    /// </summary>
    public Sampling Sampling { get; init; } = Sampling.Balanced;

    /// <summary>Loss weighting across games: <c>uniform</c> or <c>worst_case</c>.</summary>
    public Weighting Weighting { get; init; } = Weighting.Uniform;

    /// <summary>
    /// How the weighted game losses of an update combine: <c>mean</c> (each game's gradient at 1/K of its size alone) or
    /// <c>sum</c> (each game's gradient at its single-game size). The same for one game, or one game per update.
    /// </summary>
    public LossReduction LossReduction { get; init; } = LossReduction.Mean;

    /// <summary>Temperature of the worst-case softmax over negative normalised scores (smaller = sharper).</summary>
    public double Temperature { get; init; } = 0.5;

    /// <summary>Optional explicit relative share of each game's rows in a batch, keyed by env id; null = equal.</summary>
    public IReadOnlyDictionary<string, double>? GameWeights { get; init; } = null;
}
