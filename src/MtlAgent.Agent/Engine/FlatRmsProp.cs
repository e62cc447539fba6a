using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Engine;

/// <summary>
/// PyTorch 2.10's RMSprop (single-tensor path, the CPU default), on a flat parameter buffer:
/// <c>v = alpha v + (1 - alpha) g²</c>; centered: <c>m = lerp(m, g, 1 - alpha)</c>, <c>denom = sqrt(v - m²) + eps</c>,
/// otherwise <c>denom = sqrt(v) + eps</c> (eps outside the root, as the MinAtar reference); <c>p -= lr g / denom</c>.
/// Seven ops per step for all parameters together, with the scalars made once.
/// </summary>
public sealed class FlatRmsProp : IFlatOptimizer
{
    private readonly FlatParameters _parameters;
    private readonly Tensor square_avg, grad_avg, denom, step_count;
    private readonly Tensor _oneMinusAlphaWeight;
    private readonly Scalar _alpha, _oneMinusAlpha, _minusOne, _eps, _minusLr;
    private readonly bool _centered;

    /// <summary>RMSprop over <paramref name="parameters"/> with step size <paramref name="lr"/>.</summary>
    public FlatRmsProp(FlatParameters parameters, double lr, double alpha, double eps, bool centered)
    {
        if (!(lr > 0)) throw new ArgumentOutOfRangeException(nameof(lr), lr, "learning rate must be positive");
        if (!(alpha >= 0 && alpha <= 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be in [0, 1]");
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be at least 0");
        _parameters = parameters;
        _centered = centered;
        var p = parameters.data;
        square_avg = zeros_like(p).DetachFromDisposeScope();
        grad_avg = zeros_like(p).DetachFromDisposeScope();
        denom = zeros_like(p).DetachFromDisposeScope();
        step_count = zeros(1, ScalarType.Int64).DetachFromDisposeScope();
        _oneMinusAlphaWeight = tensor(1 - alpha, p.dtype, p.device).DetachFromDisposeScope();
        _alpha = alpha.ToScalar();
        _oneMinusAlpha = (1 - alpha).ToScalar();
        _minusOne = (-1.0).ToScalar();
        _eps = eps.ToScalar();
        _minusLr = (-lr).ToScalar();
    }

    /// <inheritdoc />
    public long Steps { get; private set; }

    /// <inheritdoc />
    public void zero_grad() => _parameters.grad.zero_();

    /// <inheritdoc />
    public void step()
    {
        using var _ = no_grad();
        var g = _parameters.grad;
        square_avg.mul_(_alpha).addcmul_(g, g, _oneMinusAlpha);
        if (_centered)
        {
            grad_avg.lerp_(g, _oneMinusAlphaWeight);
            denom.copy_(square_avg).addcmul_(grad_avg, grad_avg, _minusOne).sqrt_();
        }
        else
        {
            denom.copy_(square_avg).sqrt_();
        }
        denom.add_(_eps);
        _parameters.data.addcdiv_(g, denom, _minusLr);
        Steps++;
    }

    /// <inheritdoc />
    public IEnumerable<(string Name, Tensor Tensor)> NamedState()
    {
        step_count.fill_(Steps);
        yield return ("square_avg", square_avg);
        if (_centered) yield return ("grad_avg", grad_avg);
        yield return ("step", step_count);
    }

    /// <inheritdoc />
    public void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        using var _ = no_grad();
        foreach (var (name, tensor) in NamedState().ToArray())
        {
            if (!state.TryGetValue(name, out var saved)) throw new ArgumentException($"optimizer state lacks '{name}' (RMSprop{(_centered ? ", centered" : "")})");
            if (!saved.shape.SequenceEqual(tensor.shape))
                throw new ArgumentException($"optimizer state '{name}' has shape [{string.Join(", ", saved.shape)}], expected [{string.Join(", ", tensor.shape)}]");
            tensor.copy_(saved);
        }
        Steps = step_count.item<long>();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        square_avg.Dispose(); grad_avg.Dispose(); denom.Dispose(); step_count.Dispose(); _oneMinusAlphaWeight.Dispose();
        _alpha.Dispose(); _oneMinusAlpha.Dispose(); _minusOne.Dispose(); _eps.Dispose(); _minusLr.Dispose();
    }
}
