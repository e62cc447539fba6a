namespace MtlAgent.Agent.Tasks;

/// <summary>
/// Homoscedastic-uncertainty weighting (Kendall, Gal, Cipolla, CVPR 2018): a learned log-variance <c>s_i</c> per game,
/// starting at 0, and the objective <c>sum_i (exp(-s_i) L_i + s_i)</c> on the PopArt-normalised losses. The network
/// sees the weights <c>exp(-s_i)</c>; the <c>s_i</c> descend the objective by their own Adam, with the closed-form
/// gradient <c>1 - exp(-s_i) L_i</c>, whose expected value vanishes at <c>s_i = log E[L_i]</c>: a game with noisier
/// (larger) losses learns a larger variance and weighs less. The paper's regression form <c>1/2 exp(-s) L + 1/2 s</c>
/// has the same optimum; this form (the paper's classification one) starts the weights at 1, as uniform.
/// Kendall et al. train s with the network's optimizer; here it has its own Adam, so the network's optimizer state
/// (and the <c>uniform</c> path) stays as it is. Weights are not renormalised: the <c>+ s_i</c> term keeps them from
/// growing without bound.
/// </summary>
public sealed class UncertaintyWeighting : LearnedTaskWeighting
{
    private readonly double[] _logVariances, _weights;
    private readonly HostAdam _adam;

    /// <summary>Log-variances of <paramref name="games"/> games, starting at 0 (weights 1).</summary>
    public UncertaintyWeighting(int games, double learningRate)
    {
        _logVariances = new double[games];
        _weights = TaskWeighting.Uniform(games);
        _adam = new HostAdam(games, learningRate);
    }

    /// <inheritdoc />
    public override IReadOnlyList<double> Weights => _weights;

    /// <summary>Each game's learned log-variance <c>s_i</c>.</summary>
    public IReadOnlyList<double> LogVariances => _logVariances;

    /// <summary><c>d/ds (exp(-s) L + s) = 1 - exp(-s) L</c>.</summary>
    public static double Gradient(double logVariance, double loss) => 1 - Math.Exp(-logVariance) * loss;

    /// <inheritdoc />
    public override void Step(IReadOnlyList<int> games, IReadOnlyList<double> losses, IReadOnlyList<double>? gradientNorms)
    {
        _adam.Step(_logVariances, games, games.Select(g => Gradient(_logVariances[g], losses[g])).ToArray());
        foreach (int g in games) _weights[g] = Math.Exp(-_logVariances[g]);
    }

    /// <inheritdoc />
    public override LearnedWeightingState GetState()
    {
        var (first, second, steps) = _adam.GetState();
        return new((double[])_logVariances.Clone(), [], first, second, steps);
    }

    /// <inheritdoc />
    public override void SetState(LearnedWeightingState state)
    {
        if (state.Values.Count != _logVariances.Length || state.InitialLosses.Count != 0)
            throw new ArgumentException(
                $"uncertainty state of {state.Values.Count} log-variances and {state.InitialLosses.Count} initial losses" +
                $" for {_logVariances.Length} games (expected none)");
        _adam.SetState(state.AdamFirst, state.AdamSecond, state.AdamSteps);
        for (int i = 0; i < _logVariances.Length; i++)
        {
            _logVariances[i] = state.Values[i];
            _weights[i] = Math.Exp(-_logVariances[i]);
        }
    }
}
