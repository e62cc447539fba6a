using System.Runtime.CompilerServices;
using MtlAgent.Torch.Native;
using static MtlAgent.Torch.Native.NativeMethods;

namespace MtlAgent.Torch;

/// <summary>
/// A libtorch tensor (one native reference). Dispose it, or create it inside a
/// <see cref="torch.NewDisposeScope"/>; the finalizer is only a backstop.
/// </summary>
public partial class Tensor : IDisposable
{
    IntPtr handle;

    internal Tensor(IntPtr handle)
    {
        this.handle = Check(handle);
        DisposeScope.Current?.Add(this);
    }

    /// <summary>The scope that will dispose this tensor, if any.</summary>
    internal DisposeScope? Scope { get; set; }

    internal IntPtr Handle
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => handle != IntPtr.Zero ? handle : throw new ObjectDisposedException(nameof(Tensor), "the tensor was disposed");
    }

    /// <summary>True once disposed (the native tensor is released).</summary>
    public bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Replaces the native tensor this object refers to (module.to(device) keeps field references valid).</summary>
    internal void SetHandle(IntPtr newHandle)
    {
        var old = handle;
        handle = Check(newHandle);
        if (old != IntPtr.Zero) mt_free(old);
    }

    /// <summary>Takes the native tensor out of this object, leaving it disposed.</summary>
    internal IntPtr MoveHandle()
    {
        var h = Handle;
        handle = IntPtr.Zero;
        Scope?.Remove(this);
        GC.SuppressFinalize(this);
        return h;
    }

    /// <summary>Releases the native tensor; idempotent.</summary>
    public void Dispose()
    {
        Scope?.Remove(this);
        Release();
        GC.SuppressFinalize(this);
    }

    /// <summary>Backstop only: a tensor nobody disposed.</summary>
    ~Tensor() => Release();

    void Release()
    {
        var h = Interlocked.Exchange(ref handle, IntPtr.Zero);
        if (h != IntPtr.Zero) mt_free(h);
    }

    /// <summary>Moves this tensor to the enclosing dispose scope (or out of all scopes) and returns it.</summary>
    public Tensor MoveToOuterDisposeScope()
    {
        var scope = Scope;
        if (scope is null) return this;
        scope.Remove(this);
        var outer = scope.Outer;
        while (outer is not null && outer.IsDisposedInternal) outer = outer.Outer;
        outer?.Add(this);
        return this;
    }

    /// <summary>Takes this tensor out of its dispose scope: the caller now owns it.</summary>
    public Tensor DetachFromDisposeScope()
    {
        Scope?.Remove(this);
        return this;
    }

    // ---- properties ----

    /// <summary>Sizes of every dimension.</summary>
    public unsafe long[] shape
    {
        get
        {
            var n = mt_dim(Handle);
            var s = new long[n];
            fixed (long* p = s) Check(mt_shape(handle, p, n));
            GC.KeepAlive(this);
            return s;
        }
    }

    /// <summary>Size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public long size(int dim)
    {
        var s = shape;
        return s[dim < 0 ? s.Length + dim : dim];
    }

    /// <summary>Number of dimensions.</summary>
    public long dim() => mt_dim(Handle);

    /// <summary>Number of dimensions.</summary>
    public int Dimensions => mt_dim(Handle);

    /// <summary>Number of elements.</summary>
    public long numel()
    {
        var n = mt_numel(Handle);
        GC.KeepAlive(this);
        return n;
    }

    /// <summary>Element type.</summary>
    public ScalarType dtype
    {
        get
        {
            var t = (ScalarType)mt_dtype(Handle);
            GC.KeepAlive(this);
            return t;
        }
    }

    /// <summary>Device holding the data.</summary>
    public Device device => new((DeviceType)mt_device_type(Handle), mt_device_index(handle));

    /// <summary>Device type holding the data.</summary>
    public DeviceType device_type => (DeviceType)mt_device_type(Handle);

    /// <summary>Whether the elements are stored densely in row-major order.</summary>
    public bool is_contiguous() => mt_is_contiguous(Handle) != 0;

    /// <summary>Whether autograd records operations on this tensor.</summary>
    public bool requires_grad
    {
        get => mt_requires_grad(Handle) != 0;
        set => Check(mt_set_requires_grad(Handle, value ? 1 : 0));
    }

    /// <summary>Sets <see cref="requires_grad"/> in place and returns this tensor.</summary>
    public Tensor requires_grad_(bool requires_grad = true)
    {
        this.requires_grad = requires_grad;
        return this;
    }

    /// <summary>Whether this is a leaf of the autograd graph.</summary>
    public bool is_leaf => mt_is_leaf(Handle) != 0;

    /// <summary>The accumulated gradient (a new reference each call), or null when there is none.</summary>
    public unsafe Tensor? grad
    {
        get
        {
            IntPtr g;
            Check(mt_grad(Handle, &g));
            return g == IntPtr.Zero ? null : new Tensor(g);
        }
        set => Check(mt_set_grad(Handle, value is null ? IntPtr.Zero : value.Handle));
    }

    /// <summary>Computes gradients of this (scalar) tensor into the leaves' <see cref="grad"/>.</summary>
    public void backward(Tensor? gradient = null, bool retain_graph = false)
    {
        Check(mt_backward(Handle, gradient?.Handle ?? IntPtr.Zero, retain_graph ? 1 : 0));
        GC.KeepAlive(this);
        GC.KeepAlive(gradient);
    }

    /// <summary>The single value of a one-element tensor, converted to <typeparamref name="T"/>.</summary>
    public unsafe T item<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float) || typeof(T) == typeof(double))
        {
            double d;
            Check(mt_item_double(Handle, &d));
            GC.KeepAlive(this);
            if (typeof(T) == typeof(float)) { var f = (float)d; return Unsafe.As<float, T>(ref f); }
            return Unsafe.As<double, T>(ref d);
        }
        long l;
        Check(mt_item_long(Handle, &l));
        GC.KeepAlive(this);
        if (typeof(T) == typeof(long)) return Unsafe.As<long, T>(ref l);
        if (typeof(T) == typeof(int)) { var i = (int)l; return Unsafe.As<int, T>(ref i); }
        if (typeof(T) == typeof(short)) { var i = (short)l; return Unsafe.As<short, T>(ref i); }
        if (typeof(T) == typeof(byte)) { var i = (byte)l; return Unsafe.As<byte, T>(ref i); }
        if (typeof(T) == typeof(sbyte)) { var i = (sbyte)l; return Unsafe.As<sbyte, T>(ref i); }
        if (typeof(T) == typeof(bool)) { var b = l != 0; return Unsafe.As<bool, T>(ref b); }
        throw new NotSupportedException($"item<{typeof(T).Name}>: supported: float, double, long, int, short, byte, sbyte, bool");
    }

    /// <summary>Reads the elements (copied to the host when needed); <typeparamref name="T"/> must match <see cref="dtype"/>.</summary>
    public TensorAccessor<T> data<T>() where T : unmanaged => new(this);

    /// <summary>
    /// Bulk copy of host data into this tensor's elements, in row-major order, with no autograd record.
    /// <typeparamref name="T"/> must match <see cref="dtype"/> and the span must hold exactly numel() elements.
    /// A CPU contiguous tensor is filled with one memcpy.
    /// </summary>
    public unsafe Tensor copy_from<T>(ReadOnlySpan<T> source) where T : unmanaged
    {
        var expected = ScalarTypes.Of<T>();
        if (expected != dtype)
            throw new ArgumentException($"copy_from: span of {typeof(T).Name} ({expected}) into a {dtype} tensor; use a span of the tensor's element type or copy_from_bytes");
        fixed (T* p = source) Check(mt_copy_from_host(Handle, p, (long)source.Length * sizeof(T)));
        GC.KeepAlive(this);
        return this;
    }

    /// <summary>Bulk copy of raw little-endian element bytes (numel() * element size) into this tensor, any dtype.</summary>
    public unsafe Tensor copy_from_bytes(ReadOnlySpan<byte> source)
    {
        fixed (byte* p = source) Check(mt_copy_from_host(Handle, p, source.Length));
        return this;
    }

    /// <summary>Copies all elements as raw little-endian bytes into <paramref name="destination"/> (exactly numel() * element size).</summary>
    public unsafe void copy_to_bytes(Span<byte> destination)
    {
        fixed (byte* p = destination) Check(mt_copy_to_host(Handle, p, destination.Length));
        GC.KeepAlive(this);
    }

    /// <summary>Bytes per element.</summary>
    public int element_size() => ScalarTypes.ElementSize(dtype);

    /// <summary>PyTorch-like summary: shape, dtype, device.</summary>
    public override string ToString() =>
        IsInvalid ? "Tensor(disposed)" : $"Tensor([{string.Join(", ", shape)}], dtype={dtype}, device={device})";

    internal static Tensor Wrap(IntPtr h) => new(h);
}
