using MtlAgent.Agent.Configuration;

namespace MtlAgent.Agent.Tasks;

/// <summary>
/// A task weighting learned during training (<c>gradnorm</c>, <c>uncertainty</c>): the learner weighs each game's loss
/// by <see cref="Weights"/> and, after its optimizer step, calls <see cref="Step"/> with the update's figures. Its state
/// is part of a checkpoint (<see cref="GetState"/>).
/// </summary>
public abstract class LearnedTaskWeighting
{
    /// <summary>The learned weighting of <paramref name="config"/>, or null when its weights come from the scores.</summary>
    public static LearnedTaskWeighting? Create(TaskConfig config, int games) => config.Weighting switch
    {
        Weighting.GradNorm => new GradNormWeighting(games, config.GradnormAlpha, config.GradnormLr),
        Weighting.Uncertainty => new UncertaintyWeighting(games, config.UncertaintyLr),
        _ => null,
    };

    /// <summary>The weight of each game's loss in the next update, in head order.</summary>
    public abstract IReadOnlyList<double> Weights { get; }

    /// <summary>
    /// Whether <see cref="Step"/> needs each game's gradient norm <c>||grad_W L_i||</c> on the last shared weight matrix.
    /// </summary>
    public virtual bool NeedsGradientNorms => false;

    /// <summary>
    /// Learns from one update of the games <paramref name="games"/> (those with rows): <paramref name="losses"/> and
    /// <paramref name="gradientNorms"/> (when <see cref="NeedsGradientNorms"/>) are indexed by game, unweighted.
    /// </summary>
    public abstract void Step(IReadOnlyList<int> games, IReadOnlyList<double> losses, IReadOnlyList<double>? gradientNorms);

    /// <summary>Everything it has learned, for a checkpoint (copies).</summary>
    public abstract LearnedWeightingState GetState();

    /// <summary>
    /// Restores <see cref="GetState"/>; throws <see cref="ArgumentException"/> naming what does not fit this weighting.
    /// </summary>
    public abstract void SetState(LearnedWeightingState state);
}

/// <summary>The state of a <see cref="LearnedTaskWeighting"/>, per game in head order.</summary>
/// <param name="Values">GradNorm: the weights; uncertainty: the log-variances s.</param>
/// <param name="InitialLosses">GradNorm: each game's first loss L_i(0), NaN before its first update; uncertainty: empty.</param>
/// <param name="AdamFirst">Its Adam's first moment estimates.</param>
/// <param name="AdamSecond">Its Adam's second moment estimates.</param>
/// <param name="AdamSteps">Its Adam's step count per game.</param>
public sealed record LearnedWeightingState(IReadOnlyList<double> Values, IReadOnlyList<double> InitialLosses,
    IReadOnlyList<double> AdamFirst, IReadOnlyList<double> AdamSecond, IReadOnlyList<long> AdamSteps);
