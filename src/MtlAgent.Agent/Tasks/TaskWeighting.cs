using MtlAgent.Agent.Configuration;

namespace MtlAgent.Agent.Tasks;

/// <summary>Per-game weights of the loss (mean 1, so the uniform case is the plain average over games).</summary>
public static class TaskWeighting
{
    /// <summary>Share of the uniform distribution mixed into worst-case weights, so no game ever gets zero weight.</summary>
    public const double UniformMix = 0.2;

    /// <summary>Weights for the configured scheme; <c>uniform</c> gives all ones.</summary>
    public static double[] Compute(TaskConfig config, IReadOnlyList<double?> normalizedScores) => config.Weighting switch
    {
        Weighting.Uniform => Uniform(normalizedScores.Count),
        Weighting.WorstCase => WorstCase(normalizedScores, config.Temperature),
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
}
