using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Engine;

/// <summary>
/// PyTorch 2.10's Adam (single-tensor path, no weight decay, no amsgrad) on a flat parameter buffer:
/// <c>m = lerp(m, g, 1 - beta1)</c>, <c>v = beta2 v + (1 - beta2) g²</c>,
/// <c>p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)</c>.
/// </summary>
public sealed class FlatAdam : IFlatOptimizer
{
    private readonly FlatParameters _parameters;
    private readonly Tensor exp_avg, exp_avg_sq, denom, step_count, _oneMinusBeta1Weight;
    private readonly Scalar _beta2, _oneMinusBeta2, _eps;
    private readonly double _lr, _beta1, _beta2Value;

    /// <summary>Adam over <paramref name="parameters"/>.</summary>
    public FlatAdam(FlatParameters parameters, double lr, double eps, double beta1 = 0.9, double beta2 = 0.999)
    {
        if (!(lr > 0)) throw new ArgumentOutOfRangeException(nameof(lr), lr, "learning rate must be positive");
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), "betas must be in [0, 1)");
        _parameters = parameters;
        var p = parameters.data;
        exp_avg = zeros_like(p).DetachFromDisposeScope();
        exp_avg_sq = zeros_like(p).DetachFromDisposeScope();
        denom = zeros_like(p).DetachFromDisposeScope();
        step_count = zeros(1, ScalarType.Int64).DetachFromDisposeScope();
        _oneMinusBeta1Weight = tensor(1 - beta1, p.dtype, p.device).DetachFromDisposeScope();
        _beta2 = beta2.ToScalar();
        _oneMinusBeta2 = (1 - beta2).ToScalar();
        _eps = eps.ToScalar();
        (_lr, _beta1, _beta2Value) = (lr, beta1, beta2);
    }

    /// <inheritdoc />
    public long Steps { get; private set; }

    /// <inheritdoc />
    public void zero_grad() => _parameters.grad.zero_();

    /// <inheritdoc />
    public void step()
    {
        using var _ = no_grad();
        Steps++;
        var g = _parameters.grad;
        exp_avg.lerp_(g, _oneMinusBeta1Weight);
        exp_avg_sq.mul_(_beta2).addcmul_(g, g, _oneMinusBeta2);
        double biasCorrection1 = 1 - Math.Pow(_beta1, Steps);
        double biasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(_beta2Value, Steps));
        using var stepSize = (-_lr / biasCorrection1).ToScalar();
        using var correction = biasCorrection2Sqrt.ToScalar();
        denom.copy_(exp_avg_sq).sqrt_().div_(correction).add_(_eps);
        _parameters.data.addcdiv_(exp_avg, denom, stepSize);
    }

    /// <inheritdoc />
    public IEnumerable<(string Name, Tensor Tensor)> NamedState()
    {
        step_count.fill_(Steps);
        yield return ("exp_avg", exp_avg);
        yield return ("exp_avg_sq", exp_avg_sq);
        yield return ("step", step_count);
    }

    /// <inheritdoc />
    public void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        using var _ = no_grad();
        foreach (var (name, tensor) in NamedState().ToArray())
        {
            if (!state.TryGetValue(name, out var saved)) throw new ArgumentException($"optimizer state lacks '{name}' (Adam)");
            if (!saved.shape.SequenceEqual(tensor.shape))
                throw new ArgumentException($"optimizer state '{name}' has shape [{string.Join(", ", saved.shape)}], expected [{string.Join(", ", tensor.shape)}]");
            tensor.copy_(saved);
        }
        Steps = step_count.item<long>();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        exp_avg.Dispose(); exp_avg_sq.Dispose(); denom.Dispose(); step_count.Dispose(); _oneMinusBeta1Weight.Dispose();
        _beta2.Dispose(); _oneMinusBeta2.Dispose(); _eps.Dispose();
    }
}
