using MtlAgent.Torch.Native;
using static MtlAgent.Torch.Native.NativeMethods;

namespace MtlAgent.Torch;

// Tensor creation. Defaults as PyTorch: float32 on the CPU.
public static partial class torch
{
    static unsafe Tensor FromSpan<T>(ReadOnlySpan<T> data, long[]? shape, ScalarType? dtype, Device? device, bool requires_grad)
        where T : unmanaged
    {
        var natural = ScalarTypes.Of<T>();
        var dev = (device ?? CPU).CheckAvailable();
        shape ??= [data.Length];
        // The data is copied in its own type, then converted: same as torch.tensor(list, dtype=...).
        var direct = dtype is null || dtype == natural;
        IntPtr h;
        fixed (T* p = data)
        fixed (long* s = shape)
            h = mt_from_host(p, (long)data.Length * sizeof(T), s, shape.Length, (int)natural,
                (int)(direct ? dev.type : DeviceType.CPU), direct ? dev.index : -1, direct && requires_grad ? 1 : 0);
        var t = new Tensor(h);
        if (direct) return t;
        using (t)
        {
            var converted = t.to(dtype!.Value, dev);
            if (requires_grad) converted.requires_grad_();
            return converted;
        }
    }

    public static Tensor tensor(float[] data, long[]? dimensions = null, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => FromSpan<float>(data, dimensions, dtype, device, requires_grad);
    public static Tensor tensor(double[] data, long[]? dimensions = null, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => FromSpan<double>(data, dimensions, dtype, device, requires_grad);
    public static Tensor tensor(long[] data, long[]? dimensions = null, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => FromSpan<long>(data, dimensions, dtype, device, requires_grad);
    public static Tensor tensor(int[] data, long[]? dimensions = null, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => FromSpan<int>(data, dimensions, dtype, device, requires_grad);
    public static Tensor tensor(byte[] data, long[]? dimensions = null, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => FromSpan<byte>(data, dimensions, dtype, device, requires_grad);
    public static Tensor tensor(bool[] data, long[]? dimensions = null, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => FromSpan<bool>(data, dimensions, dtype, device, requires_grad);

    /// <summary>A tensor copied from a span (any supported element type), shaped by <paramref name="dimensions"/>.</summary>
    public static Tensor from_span<T>(ReadOnlySpan<T> data, long[] dimensions, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        where T : unmanaged => FromSpan(data, dimensions, dtype, device, requires_grad);

    static Tensor Scalar(double value, ScalarType natural, ScalarType? dtype, Device? device, bool requires_grad)
    {
        var dev = (device ?? CPU).CheckAvailable();
        return new Tensor(mt_scalar_tensor(value, (int)(dtype ?? natural), (int)dev.type, dev.index, requires_grad ? 1 : 0));
    }

    /// <summary>A 0-dim tensor.</summary>
    public static Tensor tensor(float value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Scalar(value, ScalarType.Float32, dtype, device, requires_grad);
    public static Tensor tensor(double value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Scalar(value, ScalarType.Float64, dtype, device, requires_grad);
    public static Tensor tensor(long value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Scalar(value, ScalarType.Int64, dtype, device, requires_grad);
    public static Tensor tensor(int value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Scalar(value, ScalarType.Int32, dtype, device, requires_grad);
    public static Tensor tensor(bool value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Scalar(value ? 1 : 0, ScalarType.Bool, dtype, device, requires_grad);

    static unsafe Tensor Make(Factory kind, long[] size, ScalarType? dtype, Device? device, bool requires_grad)
    {
        var dev = (device ?? CPU).CheckAvailable();
        fixed (long* s = size)
            return new Tensor(mt_factory((int)kind, s, size.Length, (int)(dtype ?? ScalarType.Float32), (int)dev.type, dev.index, requires_grad ? 1 : 0));
    }

    public static Tensor zeros(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Make(Factory.Zeros, size, dtype, device, requires_grad);
    public static Tensor zeros(params long[] size) => Make(Factory.Zeros, size, null, null, false);
    public static Tensor ones(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Make(Factory.Ones, size, dtype, device, requires_grad);
    public static Tensor ones(params long[] size) => Make(Factory.Ones, size, null, null, false);
    public static Tensor empty(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Make(Factory.Empty, size, dtype, device, requires_grad);
    public static Tensor empty(params long[] size) => Make(Factory.Empty, size, null, null, false);
    /// <summary>Standard normal samples from libtorch's generator.</summary>
    public static Tensor randn(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Make(Factory.Randn, size, dtype, device, requires_grad);
    public static Tensor randn(params long[] size) => Make(Factory.Randn, size, null, null, false);
    /// <summary>Uniform [0, 1) samples from libtorch's generator.</summary>
    public static Tensor rand(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Make(Factory.Rand, size, dtype, device, requires_grad);
    public static Tensor rand(params long[] size) => Make(Factory.Rand, size, null, null, false);

    public static unsafe Tensor full(long[] size, double value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var dev = (device ?? CPU).CheckAvailable();
        fixed (long* s = size)
            return new Tensor(mt_full(s, size.Length, value, (int)(dtype ?? ScalarType.Float32), (int)dev.type, dev.index, requires_grad ? 1 : 0));
    }

    /// <summary>Integers in [low, high), int64 unless <paramref name="dtype"/> says otherwise.</summary>
    public static unsafe Tensor randint(long low, long high, long[] size, ScalarType? dtype = null, Device? device = null)
    {
        var dev = (device ?? CPU).CheckAvailable();
        fixed (long* s = size)
            return new Tensor(mt_randint(low, high, s, size.Length, (int)(dtype ?? ScalarType.Int64), (int)dev.type, dev.index));
    }

    static Tensor Range(double start, double stop, double step, ScalarType type, Device? device, bool requires_grad)
    {
        var dev = (device ?? CPU).CheckAvailable();
        return new Tensor(mt_arange(start, stop, step, (int)type, (int)dev.type, dev.index, requires_grad ? 1 : 0));
    }

    /// <summary>[0, stop) as int64 (PyTorch infers int64 from integer arguments).</summary>
    public static Tensor arange(long stop, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Range(0, stop, 1, dtype ?? ScalarType.Int64, device, requires_grad);
    public static Tensor arange(long start, long stop, long step = 1, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Range(start, stop, step, dtype ?? ScalarType.Int64, device, requires_grad);
    /// <summary>[start, stop) in steps, float32 unless <paramref name="dtype"/> says otherwise.</summary>
    public static Tensor arange(double start, double stop, double step = 1, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Range(start, stop, step, dtype ?? ScalarType.Float32, device, requires_grad);

    static Tensor Like(int kind, Tensor t)
    {
        var r = new Tensor(mt_like(kind, t.Handle));
        GC.KeepAlive(t);
        return r;
    }

    public static Tensor zeros_like(Tensor t) => Like(0, t);
    public static Tensor ones_like(Tensor t) => Like(1, t);
    public static Tensor empty_like(Tensor t) => Like(2, t);
    public static Tensor randn_like(Tensor t) => Like(3, t);
    public static Tensor rand_like(Tensor t) => Like(4, t);
}
