using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Engine;

/// <summary>
/// PyTorch 2.10's Adam (<c>torch/optim/adam.py</c>, <c>_single_tensor_adam</c>, the CPU default; no weight decay, no
/// amsgrad) over a flat parameter buffer, with PyTorch's ops in PyTorch's order, t the step number:
/// <code>
/// exp_avg.lerp_(grad, 1 - beta1);  exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
/// step_size = lr / (1 - beta1 ** t);  bias_correction2_sqrt = (1 - beta2 ** t) ** 0.5     (in double)
/// denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps);  param.addcdiv_(exp_avg, denom, value=-step_size)
/// </code>
/// <c>denom</c> is allocated each step, as in PyTorch (see <see cref="FlatRmsProp"/> for why not a kept buffer); its
/// division is done in place, which gives the same values as PyTorch's second allocation.
/// </summary>
public sealed class FlatAdam : IFlatOptimizer
{
    private readonly FlatParameters _parameters;
#pragma warning disable IDE1006 // PyTorch's names of the optimizer state, which are also the keys of optimizer.safetensors
    private readonly Tensor exp_avg, exp_avg_sq, step_count, _oneMinusBeta1Weight;
    private readonly Tensor? _lrScale;
#pragma warning restore IDE1006
    // Scalars made once: an implicit double-to-Scalar conversion allocates a native object per op.
    private readonly Scalar _beta2, _oneMinusBeta2, _eps;

    /// <summary>
    /// Adam over <paramref name="parameters"/> (PyTorch's defaults for everything but <paramref name="lr"/> and <paramref name="eps"/>).
    /// <paramref name="lrScale"/>, if given, multiplies <paramref name="lr"/> coordinate by coordinate (laid out as
    /// <see cref="FlatParameters.data"/>, copied);
    /// without it the step is PyTorch's, op for op.
    /// </summary>
    public FlatAdam(FlatParameters parameters, double lr = 1e-3, double eps = 1e-8, double beta1 = 0.9, double beta2 = 0.999,
        Tensor? lrScale = null)
    {
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "Adam eps must be at least 0");
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "Adam beta1 must be in [0, 1)");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "Adam beta2 must be in [0, 1)");
        if (!parameters.RequiresGrad) throw new ArgumentException("Adam needs parameters that require grad", nameof(parameters));
        _parameters = parameters;
        (LearningRate, Eps, Beta1, Beta2) = (lr, eps, beta1, beta2);
        var p = parameters.data;
        _lrScale = LearningRateScale.Copy(lrScale, p);
        exp_avg = zeros_like(p).DetachFromDisposeScope();
        exp_avg_sq = zeros_like(p).DetachFromDisposeScope();
        step_count = tensor(0L).DetachFromDisposeScope();
        // TorchSharp 0.107 binds only lerp_(Tensor, Tensor): a 0-dim weight of the parameters' dtype holds the same
        // float PyTorch's Scalar overload converts 1 - beta1 to.
        _oneMinusBeta1Weight = tensor(1 - beta1, p.dtype, p.device).DetachFromDisposeScope();
        _beta2 = beta2.ToScalar();
        _oneMinusBeta2 = (1 - beta2).ToScalar();
        _eps = eps.ToScalar();
    }

    /// <summary>Step size of the next <see cref="step"/> before bias correction; settable between steps (a schedule).</summary>
    public double LearningRate
    {
        get => _lr;
        set => _lr = value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "Adam learning rate must be at least 0");
    }

    private double _lr;

    /// <summary>The optimizer as its errors and <c>mtl inspect</c> name it.</summary>
    public string Name => "Adam";

    /// <summary>Added to the bias-corrected root of the second moment.</summary>
    public double Eps { get; }

    /// <summary>Decay of the first moment.</summary>
    public double Beta1 { get; }

    /// <summary>Decay of the second moment.</summary>
    public double Beta2 { get; }

    /// <inheritdoc />
    public long Steps { get; private set; }

    /// <inheritdoc />
    public void zero_grad() => _parameters.zero_grad();

    /// <inheritdoc />
    public void step()
    {
        _parameters.EnsureViews();
        using var noGrad = no_grad();
        long t = Steps + 1;
        var grad = _parameters.grad;
        exp_avg.lerp_(grad, _oneMinusBeta1Weight);
        exp_avg_sq.mul_(_beta2).addcmul_(grad, grad, _oneMinusBeta2);
        // Python floats are doubles and ** is C's pow: Math.Pow gives the same bits.
        double bias_correction1 = 1 - Math.Pow(Beta1, t);
        double bias_correction2 = 1 - Math.Pow(Beta2, t);
        double step_size = LearningRate / bias_correction1;
        using var minusStepSize = (-step_size).ToScalar();
        using var denom = CorrectedRoot(bias_correction2).add_(_eps, HeldScalars.One);
        if (_lrScale is not null) denom.div_(_lrScale);
        _parameters.data.addcdiv_(exp_avg, denom, minusStepSize);
        step_count.add_(HeldScalars.One, HeldScalars.One);
        Steps = t;
    }

    /// <summary>
    /// The bias-corrected root of the second moment after the steps taken (zeros before the first), which <see cref="Eps"/>
    /// is added to before the step divides by it: a new tensor laid out as <see cref="FlatParameters.data"/>.
    /// </summary>
    public Tensor RootMeanSquare()
    {
        using var noGrad = no_grad();
        return Steps == 0 ? zeros_like(exp_avg_sq) : CorrectedRoot(1 - Math.Pow(Beta2, Steps));
    }

    private Tensor CorrectedRoot(double bias_correction2)
    {
        using var correction = Math.Pow(bias_correction2, 0.5).ToScalar();
        return exp_avg_sq.sqrt().div_(correction);
    }

    /// <summary>
    /// <c>exp_avg</c>, <c>exp_avg_sq</c>, each laid out as <see cref="FlatParameters.data"/>, and <c>step</c> (0-dim
    /// int64). Live tensors owned by the optimizer: copy them to keep a snapshot.
    /// </summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedState()
    {
        yield return ("exp_avg", exp_avg);
        yield return ("exp_avg_sq", exp_avg_sq);
        yield return ("step", step_count);
    }

    /// <inheritdoc />
    public void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        FlatOptimizerState.Load(Name, NamedState(), state);
        Steps = step_count.item<long>();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        exp_avg.Dispose();
        exp_avg_sq.Dispose();
        step_count.Dispose();
        _lrScale?.Dispose();
        _oneMinusBeta1Weight.Dispose();
        foreach (var s in new[] { _beta2, _oneMinusBeta2, _eps }) s.Dispose();
    }
}
