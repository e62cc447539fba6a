using MtlAgent.Torch.Native;
using static MtlAgent.Torch.Native.NativeMethods;

namespace MtlAgent.Torch;

// Element-wise maths, comparisons, reductions and in-place updates (PyTorch names and semantics).
public partial class Tensor
{
    // GC.KeepAlive: an unscoped temporary must not be finalized while native code uses its handle.
    Tensor U(Unary op)
    {
        var r = new Tensor(mt_unary((int)op, Handle));
        GC.KeepAlive(this);
        return r;
    }

    Tensor B(Binary op, Tensor other)
    {
        var r = new Tensor(mt_binary((int)op, Handle, other.Handle));
        GC.KeepAlive(this);
        GC.KeepAlive(other);
        return r;
    }

    Tensor S(BinaryScalar op, double s)
    {
        var r = new Tensor(mt_binary_scalar((int)op, Handle, s));
        GC.KeepAlive(this);
        return r;
    }

    Tensor I(Inplace op, Tensor other, double alpha = 1)
    {
        Check(mt_inplace((int)op, Handle, other.Handle, alpha));
        GC.KeepAlive(other);
        return this;
    }

    Tensor IS(InplaceScalar op, double s)
    {
        Check(mt_inplace_scalar((int)op, Handle, s));
        return this;
    }

    // ---- unary ----
    public Tensor relu() => U(Unary.Relu);
    public Tensor neg() => U(Unary.Neg);
    public Tensor sqrt() => U(Unary.Sqrt);
    public Tensor abs() => U(Unary.Abs);
    public Tensor exp() => U(Unary.Exp);
    public Tensor log() => U(Unary.Log);
    public Tensor sigmoid() => U(Unary.Sigmoid);
    public Tensor tanh() => U(Unary.Tanh);
    public Tensor sign() => U(Unary.Sign);
    public Tensor square() => U(Unary.Square);
    public Tensor floor() => U(Unary.Floor);
    public Tensor round() => U(Unary.Round);
    public Tensor reciprocal() => U(Unary.Reciprocal);
    public Tensor logical_not() => U(Unary.LogicalNot);
    public Tensor isnan() => U(Unary.IsNan);

    /// <summary>A new reference to the same data, cut from the autograd graph.</summary>
    public Tensor detach() => U(Unary.Detach);

    /// <summary>A copy of the data (recorded by autograd).</summary>
    public Tensor clone() => U(Unary.Clone);

    /// <summary>This data in row-major dense layout (this tensor's data when already so).</summary>
    public Tensor contiguous() => U(Unary.Contiguous);

    // ---- binary ----
    public Tensor add(Tensor other) => B(Binary.Add, other);
    public Tensor add(double other) => S(BinaryScalar.Add, other);
    public Tensor sub(Tensor other) => B(Binary.Sub, other);
    public Tensor sub(double other) => S(BinaryScalar.Sub, other);
    public Tensor mul(Tensor other) => B(Binary.Mul, other);
    public Tensor mul(double other) => S(BinaryScalar.Mul, other);
    public Tensor div(Tensor other) => B(Binary.Div, other);
    public Tensor div(double other) => S(BinaryScalar.Div, other);
    public Tensor pow(Tensor exponent) => B(Binary.Pow, exponent);
    public Tensor pow(double exponent) => S(BinaryScalar.Pow, exponent);
    public Tensor matmul(Tensor other) => B(Binary.Matmul, other);
    public Tensor maximum(Tensor other) => B(Binary.Maximum, other);
    public Tensor minimum(Tensor other) => B(Binary.Minimum, other);
    public Tensor logical_and(Tensor other) => B(Binary.LogicalAnd, other);
    public Tensor logical_or(Tensor other) => B(Binary.LogicalOr, other);

    // ---- comparisons (Bool results) ----
    public Tensor eq(Tensor other) => B(Binary.Eq, other);
    public Tensor eq(double other) => S(BinaryScalar.Eq, other);
    public Tensor ne(Tensor other) => B(Binary.Ne, other);
    public Tensor ne(double other) => S(BinaryScalar.Ne, other);
    public Tensor lt(Tensor other) => B(Binary.Lt, other);
    public Tensor lt(double other) => S(BinaryScalar.Lt, other);
    public Tensor le(Tensor other) => B(Binary.Le, other);
    public Tensor le(double other) => S(BinaryScalar.Le, other);
    public Tensor gt(Tensor other) => B(Binary.Gt, other);
    public Tensor gt(double other) => S(BinaryScalar.Gt, other);
    public Tensor ge(Tensor other) => B(Binary.Ge, other);
    public Tensor ge(double other) => S(BinaryScalar.Ge, other);

    // ---- in place ----
    /// <summary>this += alpha * other.</summary>
    public Tensor add_(Tensor other, double alpha = 1) => I(Inplace.Add, other, alpha);
    public Tensor add_(double other) => IS(InplaceScalar.Add, other);
    /// <summary>this -= alpha * other.</summary>
    public Tensor sub_(Tensor other, double alpha = 1) => I(Inplace.Sub, other, alpha);
    public Tensor sub_(double other) => IS(InplaceScalar.Sub, other);
    public Tensor mul_(Tensor other) => I(Inplace.Mul, other);
    public Tensor mul_(double other) => IS(InplaceScalar.Mul, other);
    public Tensor div_(Tensor other) => I(Inplace.Div, other);
    public Tensor div_(double other) => IS(InplaceScalar.Div, other);
    /// <summary>Copies <paramref name="source"/> (broadcast, converted) into this tensor's elements.</summary>
    public Tensor copy_(Tensor source) => I(Inplace.Copy, source);
    public Tensor fill_(double value) => IS(InplaceScalar.Fill, value);
    public Tensor zero_() => IS(InplaceScalar.Zero, 0);
    public Tensor relu_() => IS(InplaceScalar.Relu, 0);
    public Tensor clamp_min_(double min) => IS(InplaceScalar.ClampMin, min);
    public Tensor clamp_max_(double max) => IS(InplaceScalar.ClampMax, max);

    /// <summary>Elements limited to [min, max]; either bound may be absent.</summary>
    public Tensor clamp(double? min = null, double? max = null)
    {
        var r = new Tensor(mt_clamp(Handle, min.HasValue ? 1 : 0, min ?? 0, max.HasValue ? 1 : 0, max ?? 0));
        GC.KeepAlive(this);
        return r;
    }

    // ---- reductions ----
    public Tensor sum() => U(Unary.SumAll);
    public Tensor mean() => U(Unary.MeanAll);
    /// <summary>Largest element (a 0-dim tensor).</summary>
    public Tensor max() => U(Unary.MaxAll);
    public Tensor min() => U(Unary.MinAll);
    /// <summary>Index of the largest element of the flattened tensor.</summary>
    public Tensor argmax() => U(Unary.ArgmaxAll);

    unsafe Tensor R(Reduce op, ReadOnlySpan<long> dims, bool keepdim)
    {
        fixed (long* p = dims)
        {
            var r = new Tensor(mt_reduce_dims((int)op, Handle, p, dims.Length, keepdim ? 1 : 0));
            GC.KeepAlive(this);
            return r;
        }
    }

    public Tensor sum(long dim, bool keepdim = false) => R(Reduce.Sum, [dim], keepdim);
    public Tensor sum(long[] dims, bool keepdim = false) => R(Reduce.Sum, dims, keepdim);
    public Tensor mean(long dim, bool keepdim = false) => R(Reduce.Mean, [dim], keepdim);
    public Tensor mean(long[] dimensions, bool keepdim = false) => R(Reduce.Mean, dimensions, keepdim);
    public Tensor amax(long[] dims, bool keepdim = false) => R(Reduce.Amax, dims, keepdim);
    public Tensor amin(long[] dims, bool keepdim = false) => R(Reduce.Amin, dims, keepdim);
    /// <summary>Standard deviation over <paramref name="dims"/> (unbiased, as PyTorch's default).</summary>
    public Tensor std(long[] dims, bool keepdim = false) => R(Reduce.Std, dims, keepdim);
    /// <summary>Variance over <paramref name="dims"/> (unbiased, as PyTorch's default).</summary>
    public Tensor var(long[] dims, bool keepdim = false) => R(Reduce.Var, dims, keepdim);

    unsafe (Tensor values, Tensor indexes) MaxMin(int op, long dim, bool keepdim)
    {
        IntPtr v, i;
        Check(mt_max_dim(op, Handle, dim, keepdim ? 1 : 0, &v, &i));
        GC.KeepAlive(this);
        return (new Tensor(v), new Tensor(i));
    }

    /// <summary>Largest values along <paramref name="dim"/> and their indexes.</summary>
    public (Tensor values, Tensor indexes) max(long dim, bool keepdim = false) => MaxMin(0, dim, keepdim);

    /// <summary>Smallest values along <paramref name="dim"/> and their indexes.</summary>
    public (Tensor values, Tensor indexes) min(long dim, bool keepdim = false) => MaxMin(1, dim, keepdim);

    public Tensor argmax(long dim, bool keepdim = false)
    {
        var r = new Tensor(mt_argmax_dim(0, Handle, dim, keepdim ? 1 : 0));
        GC.KeepAlive(this);
        return r;
    }

    public Tensor argmin(long dim, bool keepdim = false)
    {
        var r = new Tensor(mt_argmax_dim(1, Handle, dim, keepdim ? 1 : 0));
        GC.KeepAlive(this);
        return r;
    }

    public Tensor softmax(long dim)
    {
        var r = new Tensor(mt_softmax(0, Handle, dim));
        GC.KeepAlive(this);
        return r;
    }

    public Tensor log_softmax(long dim)
    {
        var r = new Tensor(mt_softmax(1, Handle, dim));
        GC.KeepAlive(this);
        return r;
    }
}
