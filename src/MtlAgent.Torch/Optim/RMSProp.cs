using static MtlAgent.Torch.Native.NativeMethods;
using static MtlAgent.Torch.torch;

namespace MtlAgent.Torch.Modules;

/// <summary>
/// PyTorch's RMSprop: v = a v + (1-a) g²; centered: m = a m + (1-a) g, denom = sqrt(v - m²) + eps,
/// else denom = sqrt(v) + eps (eps outside the root); momentum: b = mu b + g/denom, p -= lr b; else p -= lr g/denom.
/// </summary>
public sealed class RMSProp : torch.optim.Optimizer
{
    readonly Tensor[] squareAvg;
    readonly Tensor[]? gradAvg;
    readonly Tensor[]? momentumBuffer;

    internal RMSProp(IEnumerable<torch.nn.Parameter> parameters, double lr, double alpha, double eps, double weight_decay, double momentum, bool centered)
        : base(parameters, lr)
    {
        if (!(alpha >= 0)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be >= 0");
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be >= 0");
        if (!(momentum >= 0)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be >= 0");
        if (!(weight_decay >= 0)) throw new ArgumentOutOfRangeException(nameof(weight_decay), weight_decay, "weight_decay must be >= 0");
        Alpha = alpha;
        Eps = eps;
        WeightDecay = weight_decay;
        Momentum = momentum;
        Centered = centered;
        squareAvg = ZerosLikeParameters();
        if (centered) gradAvg = ZerosLikeParameters();
        if (momentum > 0) momentumBuffer = ZerosLikeParameters();
    }

    public double Alpha { get; }
    public double Eps { get; }
    public double WeightDecay { get; }
    public double Momentum { get; }
    public bool Centered { get; }

    public override unsafe void step()
    {
        var n = Parameters.Count;
        Span<IntPtr> p = stackalloc IntPtr[n], v = stackalloc IntPtr[n], m = stackalloc IntPtr[n], b = stackalloc IntPtr[n];
        Handles(Parameters, p);
        Handles(squareAvg, v);
        if (gradAvg is not null) Handles(gradAvg, m);
        if (momentumBuffer is not null) Handles(momentumBuffer, b);
        fixed (IntPtr* pp = p, pv = v, pm = m, pb = b)
            Check(mt_rmsprop_step(pp, pv, gradAvg is null ? null : pm, momentumBuffer is null ? null : pb, n,
                LearningRate, Alpha, Eps, WeightDecay, Momentum));
        var steps = Steps;
        for (var i = 0; i < n; i++) steps[i]++;
        GC.KeepAlive(this);
    }

    protected override IEnumerable<(string name, Tensor tensor)> NamedState()
    {
        for (var i = 0; i < squareAvg.Length; i++)
        {
            yield return ($"{i}.square_avg", squareAvg[i]);
            if (gradAvg is not null) yield return ($"{i}.grad_avg", gradAvg[i]);
            if (momentumBuffer is not null) yield return ($"{i}.momentum_buffer", momentumBuffer[i]);
        }
    }
}

