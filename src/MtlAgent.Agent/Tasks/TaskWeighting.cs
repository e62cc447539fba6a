using MtlAgent.Agent.Configuration;

namespace MtlAgent.Agent.Tasks;

/// <summary>Per-game weights of the loss (mean 1, so the uniform case is the plain average over games).</summary>
public static class TaskWeighting
{
    /// <summary>
    /// Share of the uniform distribution mixed into worst-case and min-max weights, so no game ever gets zero weight: a game
    /// without weight gets no gradient, so its head and PopArt statistics would drift from its data and it could never show
    /// (by a better score) that it improved; and the scores that choose the weights are noisy.
    /// </summary>
    public const double UniformMix = 0.2;

    /// <summary>
    /// Weights for the configured scheme from the normalised scores; <c>uniform</c> gives all ones. The learned schemes
    /// (<c>gradnorm</c>, <c>uncertainty</c>) give ones here: their weights are learned in the update
    /// (<see cref="LearnedTaskWeighting"/>) and replace these there.
    /// </summary>
    public static double[] Compute(TaskConfig config, IReadOnlyList<double?> normalizedScores) => config.Weighting switch
    {
        Weighting.Uniform or Weighting.GradNorm or Weighting.Uncertainty => Uniform(normalizedScores.Count),
        Weighting.WorstCase => WorstCase(normalizedScores, config.Temperature),
        Weighting.MinMax => MinMax(normalizedScores),
        _ => throw new ArgumentOutOfRangeException(nameof(config), config.Weighting, null),
    };

    /// <summary>All ones.</summary>
    public static double[] Uniform(int games) => Enumerable.Repeat(1.0, games).ToArray();

    /// <summary>
    /// Worst-case emphasis: <c>w_i = K * ((1 - m) * softmax(-s / T)_i + m / K)</c> with <c>s</c> the normalised scores,
    /// <c>T</c> the temperature, <c>K</c> the number of games and <c>m</c> = <see cref="UniformMix"/>. Lower-scoring games get
    /// more weight; every weight is at least <c>m</c>; weights average 1. Until every game has a score the weights are uniform.
    /// </summary>
    public static double[] WorstCase(IReadOnlyList<double?> normalizedScores, double temperature)
    {
        if (temperature <= 0) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive");
        int k = normalizedScores.Count;
        if (normalizedScores.Any(s => s is null || !double.IsFinite(s.Value))) return Uniform(k);
        double[] logits = normalizedScores.Select(s => -s!.Value / temperature).ToArray();
        double max = logits.Max();
        double[] e = logits.Select(l => Math.Exp(l - max)).ToArray();
        double sum = e.Sum();
        return e.Select(x => k * ((1 - UniformMix) * x / sum + UniformMix / k)).ToArray();
    }

    /// <summary>
    /// The min-max objective (minimise the largest loss, here: train the game with the lowest normalised score):
    /// <c>w_i = K * ((1 - m) * [i = argmin s] + m / K)</c>, <c>m</c> = <see cref="UniformMix"/>. The worst game weighs
    /// <c>K (1 - m) + m</c>, every other game <c>m</c>; weights average 1. A tie goes to the first game in head order. Until
    /// every game has a score the weights are uniform. It is <see cref="WorstCase"/> at temperature 0.
    /// </summary>
    public static double[] MinMax(IReadOnlyList<double?> normalizedScores)
    {
        int k = normalizedScores.Count;
        if (normalizedScores.Any(s => s is null || !double.IsFinite(s.Value))) return Uniform(k);
        int worst = 0;
        for (int i = 1; i < k; i++)
            if (normalizedScores[i]!.Value < normalizedScores[worst]!.Value) worst = i;
        return Enumerable.Range(0, k).Select(i => k * ((1 - UniformMix) * (i == worst ? 1 : 0) + UniformMix / k)).ToArray();
    }
}
