using static MtlAgent.Torch.Native.NativeMethods;
using static MtlAgent.Torch.torch;

namespace MtlAgent.Torch.Modules;

/// <summary>
/// PyTorch's Adam: m = b1 m + (1-b1) g, v = b2 v + (1-b2) g², with bias corrections per parameter step t:
/// p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps); amsgrad uses the running max of v.
/// </summary>
public sealed class Adam : torch.optim.Optimizer
{
    readonly Tensor[] expAvg;
    readonly Tensor[] expAvgSq;
    readonly Tensor[]? maxExpAvgSq;

    internal Adam(IEnumerable<torch.nn.Parameter> parameters, double lr, double beta1, double beta2, double eps, double weight_decay, bool amsgrad)
        : base(parameters, lr)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1)");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1)");
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be >= 0");
        if (!(weight_decay >= 0)) throw new ArgumentOutOfRangeException(nameof(weight_decay), weight_decay, "weight_decay must be >= 0");
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weight_decay;
        AmsGrad = amsgrad;
        expAvg = ZerosLikeParameters();
        expAvgSq = ZerosLikeParameters();
        if (amsgrad) maxExpAvgSq = ZerosLikeParameters();
    }

    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Eps { get; }
    public double WeightDecay { get; }
    public bool AmsGrad { get; }

    public override unsafe void step()
    {
        var n = Parameters.Count;
        Span<IntPtr> p = stackalloc IntPtr[n], m = stackalloc IntPtr[n], v = stackalloc IntPtr[n], vmax = stackalloc IntPtr[n];
        Handles(Parameters, p);
        Handles(expAvg, m);
        Handles(expAvgSq, v);
        if (maxExpAvgSq is not null) Handles(maxExpAvgSq, vmax);
        fixed (IntPtr* pp = p, pm = m, pv = v, pvmax = vmax)
        fixed (long* steps = Steps)
            Check(mt_adam_step(pp, pm, pv, maxExpAvgSq is null ? null : pvmax, steps, n, LearningRate, Beta1, Beta2, Eps, WeightDecay));
        GC.KeepAlive(this);
    }

    protected override IEnumerable<(string name, Tensor tensor)> NamedState()
    {
        for (var i = 0; i < expAvg.Length; i++)
        {
            yield return ($"{i}.exp_avg", expAvg[i]);
            yield return ($"{i}.exp_avg_sq", expAvgSq[i]);
            if (maxExpAvgSq is not null) yield return ($"{i}.max_exp_avg_sq", maxExpAvgSq[i]);
        }
    }
}

