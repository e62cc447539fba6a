using static MtlAgent.Torch.Native.NativeMethods;

namespace MtlAgent.Torch;

// Free functions of the torch namespace that take several tensors.
public static partial class torch
{
    static unsafe Tensor Join(int op, IReadOnlyList<Tensor> tensors, long dim)
    {
        Span<IntPtr> hs = tensors.Count <= 64 ? stackalloc IntPtr[tensors.Count] : new IntPtr[tensors.Count];
        for (var i = 0; i < hs.Length; i++) hs[i] = tensors[i].Handle;
        fixed (IntPtr* p = hs)
        {
            var r = new Tensor(mt_cat(op, p, hs.Length, dim));
            GC.KeepAlive(tensors);
            return r;
        }
    }

    /// <summary>Concatenates along an existing dimension.</summary>
    public static Tensor cat(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(0, tensors, dim);

    /// <summary>Stacks along a new dimension.</summary>
    public static Tensor stack(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(1, tensors, dim);

    /// <summary>Elements of <paramref name="x"/> where <paramref name="condition"/> holds, else of <paramref name="y"/>.</summary>
    public static Tensor where(Tensor condition, Tensor x, Tensor y)
    {
        var r = new Tensor(mt_where(condition.Handle, x.Handle, y.Handle));
        GC.KeepAlive(condition);
        GC.KeepAlive(x);
        GC.KeepAlive(y);
        return r;
    }

    public static Tensor matmul(Tensor a, Tensor b) => a.matmul(b);
    public static Tensor maximum(Tensor a, Tensor b) => a.maximum(b);
    public static Tensor minimum(Tensor a, Tensor b) => a.minimum(b);
    public static Tensor exp(Tensor x) => x.exp();
    public static Tensor log(Tensor x) => x.log();
    public static Tensor sqrt(Tensor x) => x.sqrt();
    public static Tensor abs(Tensor x) => x.abs();
    public static Tensor pow(Tensor x, double exponent) => x.pow(exponent);
    public static Tensor clamp(Tensor x, double? min = null, double? max = null) => x.clamp(min, max);
    public static Tensor argmax(Tensor x, long dim, bool keepdim = false) => x.argmax(dim, keepdim);
    public static Tensor softmax(Tensor x, long dim) => x.softmax(dim);
    public static Tensor log_softmax(Tensor x, long dim) => x.log_softmax(dim);
    public static Tensor flatten(Tensor x, long start_dim = 0, long end_dim = -1) => x.flatten(start_dim, end_dim);
}
