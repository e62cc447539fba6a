namespace MtlAgent.Agent.Tasks;

/// <summary>
/// Adam (Kingma &amp; Ba, ICLR 2015: beta1 0.9, beta2 0.999, eps 1e-8) on a few host doubles, each entry with its own
/// step count, so an entry without a gradient in a step (a game absent from an update) stays as it is, moments included.
/// Doubles on the host: the same on every device, and saved exactly in checkpoints.
/// </summary>
public sealed class HostAdam
{
    /// <summary>Adam's decay rates and epsilon (the paper's defaults).</summary>
    public const double Beta1 = 0.9, Beta2 = 0.999, Eps = 1e-8;

    private readonly double[] _first, _second;
    private readonly long[] _steps;

    /// <summary>Adam over <paramref name="size"/> values at learning rate <paramref name="learningRate"/>.</summary>
    public HostAdam(int size, double learningRate)
    {
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "must be positive");
        LearningRate = learningRate;
        _first = new double[size];
        _second = new double[size];
        _steps = new long[size];
    }

    /// <summary>The learning rate.</summary>
    public double LearningRate { get; }

    /// <summary>Steps <c>values[entries[j]]</c> down the gradient <c>gradients[j]</c>, for every j.</summary>
    public void Step(double[] values, IReadOnlyList<int> entries, IReadOnlyList<double> gradients)
    {
        for (int j = 0; j < entries.Count; j++)
        {
            int i = entries[j];
            double g = gradients[j];
            _steps[i]++;
            _first[i] = Beta1 * _first[i] + (1 - Beta1) * g;
            _second[i] = Beta2 * _second[i] + (1 - Beta2) * g * g;
            double mHat = _first[i] / (1 - Math.Pow(Beta1, _steps[i]));
            double vHat = _second[i] / (1 - Math.Pow(Beta2, _steps[i]));
            values[i] -= LearningRate * mHat / (Math.Sqrt(vHat) + Eps);
        }
    }

    /// <summary>First and second moment estimates and step counts, per entry (copies).</summary>
    public (double[] First, double[] Second, long[] Steps) GetState() => ((double[])_first.Clone(), (double[])_second.Clone(),
        (long[])_steps.Clone());

    /// <summary>Restores <see cref="GetState"/>; throws <see cref="ArgumentException"/> when the sizes differ.</summary>
    public void SetState(IReadOnlyList<double> first, IReadOnlyList<double> second, IReadOnlyList<long> steps)
    {
        if (first.Count != _first.Length || second.Count != _first.Length || steps.Count != _first.Length)
            throw new ArgumentException(
                $"Adam state of {first.Count}, {second.Count} and {steps.Count} entries for {_first.Length} values");
        for (int i = 0; i < _first.Length; i++) (_first[i], _second[i], _steps[i]) = (first[i], second[i], steps[i]);
    }
}
