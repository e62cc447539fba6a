namespace MtlAgent.Agent.Tasks;

/// <summary>
/// GradNorm (Chen, Badrinarayanan, Lee, Rabinovich, ICML 2018): learned loss weights <c>w_i</c> that bring each game's
/// weighted gradient norm on the last shared weight matrix W (the hidden layer <c>fc.weight</c>),
/// <c>G_i = ||grad_W (w_i L_i)||</c>, to the common target <c>mean_j G_j * r_i^alpha</c>, where
/// <c>r_i = (L_i(t) / L_i(0)) / mean_j (L_j(t) / L_j(0))</c> is game i's relative inverse training rate (a game whose
/// loss fell least gets a larger target). The weights descend <c>L_grad = sum_i |G_i - target_i|</c> (targets held
/// constant) by their own Adam, then are renormalised to mean 1 (sum K).
/// <para>
/// Since <c>G_i = w_i ||grad_W L_i||</c> is linear in <c>w_i</c>, <c>dL_grad/dw_i = sign(G_i - target_i) ||grad_W L_i||</c>:
/// the update needs only each game's gradient norm, not a second-order (create_graph) backward pass.
/// </para>
/// <para>
/// In this DQN the losses are PopArt-normalised Huber losses, and <c>L_i(0)</c> is game i's loss in the first update
/// after learning starts that has its rows (one batch: noisy, but the ratios only steer the targets). A game absent
/// from an update keeps its weight until renormalisation.
/// </para>
/// </summary>
public sealed class GradNormWeighting : LearnedTaskWeighting
{
    /// <summary>Smallest weight before renormalising: a guard that keeps every weight positive (the paper has none).</summary>
    public const double MinWeight = 1e-3;

    private readonly double[] _weights, _initialLosses;
    private readonly HostAdam _adam;
    private readonly double _alpha;

    /// <summary>Weights of <paramref name="games"/> games, starting at 1, with asymmetry <paramref name="alpha"/>.</summary>
    public GradNormWeighting(int games, double alpha, double learningRate)
    {
        if (!(alpha >= 0)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "must be at least 0");
        _alpha = alpha;
        _weights = TaskWeighting.Uniform(games);
        _initialLosses = Enumerable.Repeat(double.NaN, games).ToArray();
        _adam = new HostAdam(games, learningRate);
    }

    /// <inheritdoc />
    public override IReadOnlyList<double> Weights => _weights;

    /// <summary>Each game's first loss <c>L_i(0)</c> (NaN before its first update).</summary>
    public IReadOnlyList<double> InitialLosses => _initialLosses;

    /// <inheritdoc />
    public override bool NeedsGradientNorms => true;

    /// <inheritdoc />
    public override void Step(IReadOnlyList<int> games, IReadOnlyList<double> losses, IReadOnlyList<double>? gradientNorms)
    {
        ArgumentNullException.ThrowIfNull(gradientNorms);
        foreach (int g in games)
            if (double.IsNaN(_initialLosses[g])) _initialLosses[g] = losses[g];
        var gradient = WeightGradient(
            games.Select(g => _weights[g]).ToArray(),
            games.Select(g => gradientNorms[g]).ToArray(),
            games.Select(g => _initialLosses[g] > 0 ? losses[g] / _initialLosses[g] : 1.0).ToArray(),
            _alpha);
        _adam.Step(_weights, games, gradient);
        Renormalize(_weights);
    }

    /// <summary>
    /// <c>dL_grad/dw_i</c> of the games of one update: <paramref name="weights"/> <c>w_i</c>, <paramref name="gradientNorms"/>
    /// <c>||grad_W L_i||</c> (unweighted), <paramref name="lossRatios"/> <c>L_i(t) / L_i(0)</c>, asymmetry
    /// <paramref name="alpha"/>; the targets <c>mean_j G_j * r_i^alpha</c> are constants (as in the paper).
    /// </summary>
    public static double[] WeightGradient(IReadOnlyList<double> weights, IReadOnlyList<double> gradientNorms,
        IReadOnlyList<double> lossRatios, double alpha)
    {
        int k = weights.Count;
        var norms = Enumerable.Range(0, k).Select(i => weights[i] * gradientNorms[i]).ToArray();
        double meanNorm = norms.Average(), meanRatio = lossRatios.Average();
        return Enumerable.Range(0, k)
            .Select(i => Math.Sign(norms[i] - meanNorm * Math.Pow(lossRatios[i] / meanRatio, alpha)) * gradientNorms[i])
            .ToArray();
    }

    /// <summary>Floors every weight at <see cref="MinWeight"/>, then scales them to mean 1.</summary>
    public static void Renormalize(double[] weights)
    {
        for (int i = 0; i < weights.Length; i++) weights[i] = Math.Max(weights[i], MinWeight);
        double scale = weights.Length / weights.Sum();
        for (int i = 0; i < weights.Length; i++) weights[i] *= scale;
    }

    /// <inheritdoc />
    public override LearnedWeightingState GetState()
    {
        var (first, second, steps) = _adam.GetState();
        return new((double[])_weights.Clone(), (double[])_initialLosses.Clone(), first, second, steps);
    }

    /// <inheritdoc />
    public override void SetState(LearnedWeightingState state)
    {
        if (state.Values.Count != _weights.Length || state.InitialLosses.Count != _weights.Length)
            throw new ArgumentException($"GradNorm state of {state.Values.Count} weights and {state.InitialLosses.Count}" +
                $" initial losses for {_weights.Length} games");
        _adam.SetState(state.AdamFirst, state.AdamSecond, state.AdamSteps);
        for (int i = 0; i < _weights.Length; i++) (_weights[i], _initialLosses[i]) = (state.Values[i], state.InitialLosses[i]);
    }
}
