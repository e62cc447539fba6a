using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Engine;

/// <summary>
/// PyTorch 2.10's RMSprop (<c>torch/optim/rmsprop.py</c>, <c>_single_tensor_rmsprop</c>, the CPU default; no
/// momentum, no weight decay) over a flat parameter buffer, with PyTorch's ops in PyTorch's order:
/// <code>
/// square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
/// centered:  grad_avg.lerp_(grad, 1 - alpha);  avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
/// otherwise: avg = square_avg.sqrt()
/// avg.add_(eps);  param.addcdiv_(grad, avg, value=-lr)
/// </code>
/// so eps is added outside the square root (as in the MinAtar reference: lr 2.5e-4, alpha 0.95, eps 0.01, centered).
/// <c>avg</c> is allocated each step, as in PyTorch: a buffer kept between steps instead (filled by <c>copy_</c>, one
/// more pass) measured within 7% of it either way (faster on 1 thread, slower on 2), so the code stays PyTorch's.
/// </summary>
public sealed class FlatRmsProp : IFlatOptimizer
{
    private readonly FlatParameters _parameters;
#pragma warning disable IDE1006 // PyTorch's names of the optimizer state, which are also the keys of optimizer.safetensors
    private readonly Tensor square_avg, step_count;
    private readonly Tensor? grad_avg, _oneMinusAlphaWeight;
#pragma warning restore IDE1006
    // Scalars made once: an implicit double-to-Scalar conversion allocates a native object per op.
    private readonly Scalar _alpha, _oneMinusAlpha, _minusOne, _eps;
    private Scalar _minusLr;
    private readonly Tensor? _lrScale;
    private double _lr;

    /// <summary>
    /// RMSprop over <paramref name="parameters"/> (PyTorch's defaults for <paramref name="alpha"/> and <paramref name="eps"/>).
    /// <paramref name="lrScale"/>, if given, multiplies <paramref name="lr"/> coordinate by coordinate (laid out as
    /// <see cref="FlatParameters.data"/>, copied):
    /// a step is then <c>-lr * scale * grad / (root + eps)</c>; without it the step is PyTorch's, op for op.
    /// </summary>
    public FlatRmsProp(FlatParameters parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, bool centered = false,
        Tensor? lrScale = null)
    {
        if (!(lr >= 0)) throw new ArgumentOutOfRangeException(nameof(lr), lr, "RMSprop learning rate must be at least 0");
        if (!(alpha >= 0 && alpha <= 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "RMSprop alpha must be in [0, 1]");
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "RMSprop eps must be at least 0");
        if (!parameters.RequiresGrad) throw new ArgumentException("RMSprop needs parameters that require grad", nameof(parameters));
        _parameters = parameters;
        Alpha = alpha;
        Eps = eps;
        Centered = centered;
        var p = parameters.data;
        _lrScale = LearningRateScale.Copy(lrScale, p);
        square_avg = zeros_like(p).DetachFromDisposeScope();
        if (centered)
        {
            grad_avg = zeros_like(p).DetachFromDisposeScope();
            // TorchSharp 0.107 binds only lerp_(Tensor, Tensor): a 0-dim weight of the parameters' dtype holds the
            // same float PyTorch's Scalar overload converts 1 - alpha to.
            _oneMinusAlphaWeight = tensor(1 - alpha, p.dtype, p.device).DetachFromDisposeScope();
        }
        step_count = tensor(0L).DetachFromDisposeScope();
        _alpha = alpha.ToScalar();
        _oneMinusAlpha = (1 - alpha).ToScalar();
        _minusOne = (-1.0).ToScalar();
        _eps = eps.ToScalar();
        _lr = lr;
        _minusLr = (-lr).ToScalar();
    }

    /// <summary>Step size of the next <see cref="step"/>; settable between steps (a schedule).</summary>
    public double LearningRate
    {
        get => _lr;
        set
        {
            if (!(value >= 0)) throw new ArgumentOutOfRangeException(nameof(value), value, "RMSprop learning rate must be at least 0");
            _minusLr.Dispose();
            (_lr, _minusLr) = (value, (-value).ToScalar());
        }
    }

    /// <summary>Smoothing constant of the averages.</summary>
    public double Alpha { get; }

    /// <summary>Added to the root of the (centered) mean square.</summary>
    public double Eps { get; }

    /// <summary>The optimizer as its errors and <c>mtl inspect</c> name it.</summary>
    public string Name => Centered ? "RMSprop (centered)" : "RMSprop";

    /// <summary>Whether the mean square is centered by the mean gradient (Graves 2013), as in the MinAtar reference.</summary>
    public bool Centered { get; }

    /// <inheritdoc />
    public long Steps { get; private set; }

    /// <inheritdoc />
    public void zero_grad() => _parameters.zero_grad();

    /// <inheritdoc />
    public void step()
    {
        _parameters.EnsureViews();
        using var noGrad = no_grad();
        var grad = _parameters.grad;
        square_avg.mul_(_alpha).addcmul_(grad, grad, _oneMinusAlpha);
        grad_avg?.lerp_(grad, _oneMinusAlphaWeight!);
        using (var avg = Root())
        {
            avg.add_(_eps, HeldScalars.One);
            if (_lrScale is not null) avg.div_(_lrScale);
            _parameters.data.addcdiv_(grad, avg, _minusLr);
        }
        step_count.add_(HeldScalars.One, HeldScalars.One);
        Steps++;
    }

    /// <summary>
    /// The root of the (centered) mean square of the gradients, which <see cref="Eps"/> is added to before the gradient is
    /// divided by it: a new tensor laid out as <see cref="FlatParameters.data"/>. Where it is well below eps the step is
    /// about <c>lr / eps</c> times the gradient, as plain SGD's (see <c>mtl inspect</c>).
    /// </summary>
    public Tensor RootMeanSquare()
    {
        using var noGrad = no_grad();
        return Root();
    }

    private Tensor Root() =>
        // The centered mean square is >= 0 in exact arithmetic, but for a gradient that barely changes (soft sharing's
        // pull on a dead unit) float32 rounding takes it below 0 within a few hundred steps; its root would be NaN.
        grad_avg is not null
            ? square_avg.addcmul(grad_avg, grad_avg, _minusOne).clamp_min_(HeldScalars.Zero).sqrt_()
            : square_avg.sqrt();

    /// <summary>
    /// <c>square_avg</c>, <c>grad_avg</c> (centered only), each laid out as <see cref="FlatParameters.data"/>, and
    /// <c>step</c> (0-dim int64). Live tensors owned by the optimizer: copy them to keep a snapshot.
    /// </summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedState()
    {
        yield return ("square_avg", square_avg);
        if (grad_avg is not null) yield return ("grad_avg", grad_avg);
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
        square_avg.Dispose();
        grad_avg?.Dispose();
        _oneMinusAlphaWeight?.Dispose();
        _lrScale?.Dispose();
        step_count.Dispose();
        foreach (var s in new[] { _alpha, _oneMinusAlpha, _minusOne, _eps, _minusLr }) s.Dispose();
    }
}
