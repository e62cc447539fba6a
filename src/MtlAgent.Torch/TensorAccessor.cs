using static MtlAgent.Torch.Native.NativeMethods;

namespace MtlAgent.Torch;

/// <summary>
/// Read access to a tensor's elements in row-major order (<c>tensor.data&lt;T&gt;()</c>). Reads go
/// straight to memory for CPU contiguous tensors, otherwise through one copy to the host.
/// </summary>
public readonly struct TensorAccessor<T> where T : unmanaged
{
    readonly Tensor tensor;

    internal TensorAccessor(Tensor tensor)
    {
        var expected = ScalarTypes.Of<T>();
        if (tensor.dtype != expected)
            throw new ArgumentException($"data<{typeof(T).Name}>() on a {tensor.dtype} tensor; use data<T>() with the tensor's element type or convert with to({expected})");
        this.tensor = tensor;
    }

    /// <summary>Number of elements.</summary>
    public long Count => tensor.numel();

    /// <summary>All elements as a new array.</summary>
    public T[] ToArray()
    {
        var a = new T[checked((int)Count)];
        CopyTo(a);
        return a;
    }

    /// <summary>Copies all elements into <paramref name="destination"/> (at least <see cref="Count"/> long).</summary>
    public unsafe void CopyTo(Span<T> destination)
    {
        var n = Count;
        if (destination.Length < n)
            throw new ArgumentException($"destination holds {destination.Length} elements, the tensor has {n}");
        fixed (T* p = destination) Check(mt_copy_to_host(tensor.Handle, p, n * sizeof(T)));
        GC.KeepAlive(tensor);
    }

    /// <summary>Element <paramref name="index"/> in row-major order.</summary>
    public unsafe T this[long index]
    {
        get
        {
            var n = Count;
            if ((ulong)index >= (ulong)n) throw new IndexOutOfRangeException($"index {index} outside [0, {n})");
            var p = (T*)mt_data_ptr(tensor.Handle);
            if (p != null)
            {
                var value = p[index];
                GC.KeepAlive(tensor);
                return value;
            }
            using var flat = tensor.reshape(-1);
            using var one = flat.narrow(0, index, 1);
            return one.item<T>();
        }
    }
}
