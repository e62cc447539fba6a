using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Engine;

/// <summary>
/// A managed array and a CPU tensor sharing its memory (<c>torch.frombuffer</c>, the array stays pinned), plus the
/// tensor's twin on the compute device. Code fills <see cref="Array"/> directly and the tensor sees it with no copy;
/// on a GPU, <see cref="Upload"/> moves it over in one <c>copy_</c>. Results come back the other way with
/// <see cref="Download"/>.
/// </summary>
public sealed class HostTensor<T> : IDisposable where T : unmanaged
{
    /// <summary>
    /// A zeroed array of <paramref name="shape"/>'s size, viewed as a tensor of that shape, with its twin on <paramref name="device"/>.
    /// </summary>
    public HostTensor(long[] shape, Device device)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        Array = new T[count];
        using (var flat = frombuffer(Array, DType))
            Host = flat.view(shape).DetachFromDisposeScope();
        Device = device.type == DeviceType.CPU ? Host : zeros(shape, DType, device).DetachFromDisposeScope();
    }

    /// <summary>The managed memory behind <see cref="Host"/>.</summary>
    public T[] Array { get; }

    /// <summary>CPU tensor over <see cref="Array"/>.</summary>
    public Tensor Host { get; }

    /// <summary>The tensor on the compute device: <see cref="Host"/> itself on the CPU.</summary>
    public Tensor Device { get; }

    /// <summary>Makes <see cref="Device"/> hold what <see cref="Array"/> holds (nothing to do on the CPU).</summary>
    public Tensor Upload()
    {
        if (!ReferenceEquals(Device, Host)) Device.copy_(Host);
        return Device;
    }

    /// <summary>Copies <paramref name="values"/> (same shape and element type, any device) into <see cref="Array"/>.</summary>
    public T[] Download(Tensor values)
    {
        Host.copy_(values);
        return Array;
    }

    private static ScalarType DType =>
        typeof(T) == typeof(float) ? ScalarType.Float32 :
        typeof(T) == typeof(long) ? ScalarType.Int64 :
        typeof(T) == typeof(double) ? ScalarType.Float64 :
        typeof(T) == typeof(byte) ? ScalarType.Byte :
        throw new NotSupportedException($"HostTensor of {typeof(T).Name}");

    /// <inheritdoc />
    public void Dispose()
    {
        if (!ReferenceEquals(Device, Host)) Device.Dispose();
        Host.Dispose();
    }
}
