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

    /// <summary>
    /// Loss weighting across games: <c>uniform</c>, <c>worst_case</c>, <c>minmax</c> (from the normalised scores), or the
    /// learned <c>gradnorm</c> and <c>uncertainty</c> (<c>Tasks.TaskWeighting</c>, <c>Tasks.GradNormWeighting</c>,
    /// <c>Tasks.UncertaintyWeighting</c>).
    /// </summary>
    public Weighting Weighting { get; init; } = Weighting.Uniform;

    /// <summary>
    /// How the weighted game losses of an update combine: <c>mean</c> (each game's gradient at 1/K of its size alone) or
    /// <c>sum</c> (each game's gradient at its single-game size). The same for one game, or one game per update.
    /// </summary>
    public LossReduction LossReduction { get; init; } = LossReduction.Mean;

    /// <summary>Temperature of the worst-case softmax over negative normalised scores (smaller = sharper).</summary>
    public double Temperature { get; init; } = 0.5;

    /// <summary>
    /// GradNorm's asymmetry alpha: how strongly games whose loss fell least (relative to their first loss) get larger
    /// target gradient norms; 0 equalises the norms. 1.5: the paper's NYUv2 setting (it used 0.12 on its toy regression).
    /// </summary>
    public double GradnormAlpha { get; init; } = 1.5;

    /// <summary>Learning rate of GradNorm's own Adam on the task weights (ours: Adam's default, 0.001).</summary>
    public double GradnormLr { get; init; } = 0.001;

    /// <summary>
    /// Learning rate of the own Adam on the uncertainty weighting's log-variances (ours: the reference learning rate, as
    /// Kendall et al. train them with the network's optimizer).
    /// </summary>
    public double UncertaintyLr { get; init; } = 0.00025;

    /// <summary>Optional explicit relative share of each game's rows in a batch, keyed by env id; null = equal.</summary>
    public IReadOnlyDictionary<string, double>? GameWeights { get; init; } = null;
}
