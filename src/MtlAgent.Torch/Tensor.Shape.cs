using MtlAgent.Torch.Native;
using static MtlAgent.Torch.Native.NativeMethods;

namespace MtlAgent.Torch;

// Shape, indexing, dtype and device conversions.
public partial class Tensor
{
    unsafe Tensor Sh(ShapeOp op, ReadOnlySpan<long> dims)
    {
        fixed (long* p = dims)
        {
            var r = new Tensor(mt_shape_op((int)op, Handle, p, dims.Length));
            GC.KeepAlive(this);
            return r;
        }
    }

    Tensor D(DimOp op, long a, long b = 0)
    {
        var r = new Tensor(mt_dim_op((int)op, Handle, a, b));
        GC.KeepAlive(this);
        return r;
    }

    public Tensor reshape(params long[] shape) => Sh(ShapeOp.Reshape, shape);
    public Tensor view(params long[] shape) => Sh(ShapeOp.View, shape);
    public Tensor permute(params long[] dims) => Sh(ShapeOp.Permute, dims);
    public Tensor expand(params long[] sizes) => Sh(ShapeOp.Expand, sizes);
    public Tensor repeat(params long[] repeats) => Sh(ShapeOp.Repeat, repeats);

    public Tensor flatten(long start_dim = 0, long end_dim = -1)
    {
        var r = new Tensor(mt_flatten(Handle, start_dim, end_dim));
        GC.KeepAlive(this);
        return r;
    }

    public Tensor unsqueeze(long dim) => D(DimOp.Unsqueeze, dim);
    public Tensor squeeze(long dim) => D(DimOp.Squeeze, dim);
    /// <summary>Removes every dimension of size 1.</summary>
    public Tensor squeeze() => U(Unary.SqueezeAll);
    /// <summary>The slice at <paramref name="index"/> along <paramref name="dim"/>, without that dimension.</summary>
    public Tensor select(long dim, long index) => D(DimOp.Select, dim, index);
    public Tensor transpose(long dim0, long dim1) => D(DimOp.Transpose, dim0, dim1);
    /// <summary>Transpose of a 2-D tensor.</summary>
    public Tensor t() => U(Unary.T2D);

    /// <summary>Sub-tensor <c>this[index]</c> along dimension 0 (further indexes select deeper).</summary>
    public Tensor this[params long[] indexes]
    {
        get
        {
            if (indexes.Length == 0) return detach();
            var r = select(0, indexes[0]);
            for (var i = 1; i < indexes.Length; i++)
            {
                var next = r.select(0, indexes[i]);
                r.Dispose();
                r = next;
            }
            return r;
        }
    }

    public Tensor narrow(long dim, long start, long length)
    {
        var r = new Tensor(mt_narrow(Handle, dim, start, length));
        GC.KeepAlive(this);
        return r;
    }

    public Tensor index_select(long dim, Tensor index)
    {
        var r = new Tensor(mt_index_op(0, Handle, dim, index.Handle));
        GC.KeepAlive(this);
        GC.KeepAlive(index);
        return r;
    }

    public Tensor gather(long dim, Tensor index)
    {
        var r = new Tensor(mt_index_op(1, Handle, dim, index.Handle));
        GC.KeepAlive(this);
        GC.KeepAlive(index);
        return r;
    }

    Tensor Scatter(long dim, Tensor index, Tensor? src, double value, bool inplace)
    {
        var h = mt_scatter(Handle, dim, index.Handle, src?.Handle ?? IntPtr.Zero, value, inplace ? 1 : 0);
        GC.KeepAlive(index);
        GC.KeepAlive(src);
        if (!inplace) return new Tensor(h);
        mt_free(Check(h)); // the in-place result is this tensor itself
        return this;
    }

    public Tensor scatter(long dim, Tensor index, Tensor src) => Scatter(dim, index, src, 0, false);
    public Tensor scatter(long dim, Tensor index, double value) => Scatter(dim, index, null, value, false);
    public Tensor scatter_(long dim, Tensor index, Tensor src) => Scatter(dim, index, src, 0, true);
    public Tensor scatter_(long dim, Tensor index, double value) => Scatter(dim, index, null, value, true);

    /// <summary>Elements of this tensor where <paramref name="condition"/> holds, else of <paramref name="other"/>.</summary>
    public Tensor where(Tensor condition, Tensor other) => torch.where(condition, this, other);

    Tensor To(ScalarType dtype, Device device, bool copy)
    {
        device.CheckAvailable();
        var r = new Tensor(mt_to(Handle, (int)dtype, (int)device.type, device.index, copy ? 1 : 0));
        GC.KeepAlive(this);
        return r;
    }

    /// <summary>This data on <paramref name="device"/> (a new reference to the same data when already there).</summary>
    public Tensor to(Device device, bool copy = false) => To(dtype, device, copy);
    public Tensor to(ScalarType type, bool copy = false) => To(type, device, copy);
    public Tensor to(ScalarType type, Device device, bool copy = false) => To(type, device, copy);
    public Tensor to_type(ScalarType type) => To(type, device, false);
    public Tensor cpu() => To(dtype, torch.CPU, false);
    public Tensor cuda() => To(dtype, torch.CUDA, false);
}
