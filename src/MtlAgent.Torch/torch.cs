using MtlAgent.Torch.Native;
using static MtlAgent.Torch.Native.NativeMethods;

namespace MtlAgent.Torch;

/// <summary>The entry point, named and shaped as TorchSharp's <c>torch</c>.</summary>
public static partial class torch
{
    /// <summary>The CPU device.</summary>
    public static readonly Device CPU = new(DeviceType.CPU);

    /// <summary>The current CUDA device.</summary>
    public static readonly Device CUDA = new(DeviceType.CUDA);

    public const ScalarType uint8 = ScalarType.Byte;
    public const ScalarType int8 = ScalarType.Int8;
    public const ScalarType int16 = ScalarType.Int16;
    public const ScalarType int32 = ScalarType.Int32;
    public const ScalarType int64 = ScalarType.Int64;
    public const ScalarType float16 = ScalarType.Float16;
    public const ScalarType bfloat16 = ScalarType.BFloat16;
    public const ScalarType float32 = ScalarType.Float32;
    public const ScalarType float64 = ScalarType.Float64;
    public const ScalarType @bool = ScalarType.Bool;
    public const ScalarType @float = ScalarType.Float32;
    public const ScalarType @double = ScalarType.Float64;
    public const ScalarType @long = ScalarType.Int64;
    public const ScalarType @int = ScalarType.Int32;

    /// <summary>"cpu", "cuda" or "cuda:N".</summary>
    public static Device device(string description) => Device.Parse(description);

    /// <summary>Opens a scope that disposes every tensor created on this thread until it is disposed.</summary>
    public static DisposeScope NewDisposeScope() => new();

    /// <summary>Native tensors currently alive (every handle not yet disposed or finalized); for leak tests.</summary>
    public static long LiveTensorCount => mt_live_tensors();

    /// <summary>Seeds libtorch's generators (CPU and CUDA).</summary>
    public static void manual_seed(long seed) => Check(mt_manual_seed(unchecked((ulong)seed)));

    /// <summary>The CPU generator's state as a Byte tensor (save it for exact resume).</summary>
    public static Tensor get_rng_state() => new(mt_get_rng_state((int)DeviceType.CPU, -1));

    /// <summary>Restores a state from <see cref="get_rng_state"/>.</summary>
    public static void set_rng_state(Tensor state) => Check(mt_set_rng_state((int)DeviceType.CPU, -1, state.Handle));

    /// <summary>Sets libtorch's intra-op threads (OpenBLAS stays at one). Default 1, or $MTL_TORCH_THREADS.</summary>
    public static void set_num_threads(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "threads must be at least 1");
        Check(mt_set_num_threads(threads));
    }

    /// <summary>libtorch's intra-op threads.</summary>
    public static int get_num_threads() => mt_get_num_threads();

    /// <summary>OpenBLAS's thread count (kept at 1 by this library), or -1 where libtorch does not use OpenBLAS.</summary>
    public static int get_blas_num_threads() => mt_blas_num_threads();

    // ---- autograd mode ----

    /// <summary>Disables gradient recording on this thread until disposed (use with <c>using</c>).</summary>
    public static IDisposable no_grad() => new GradMode(false);

    /// <summary>Enables gradient recording on this thread until disposed.</summary>
    public static IDisposable enable_grad() => new GradMode(true);

    /// <summary>Sets gradient recording on this thread until disposed.</summary>
    public static IDisposable set_grad_enabled(bool enabled) => new GradMode(enabled);

    public static bool is_grad_enabled() => mt_is_grad_enabled() != 0;

    sealed class GradMode : IDisposable
    {
        readonly int previous;
        bool disposed;
        public GradMode(bool enabled) => previous = mt_set_grad_enabled(enabled ? 1 : 0);
        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            mt_set_grad_enabled(previous);
        }
    }

    /// <summary>CUDA queries and generator state.</summary>
    public static class cuda
    {
        static bool? available;

        /// <summary>Whether this libtorch has CUDA and a GPU is visible.</summary>
        public static bool is_available() => available ??= mt_cuda_available() != 0;

        public static int device_count() => mt_cuda_device_count();

        /// <summary>The generator state of CUDA device <paramref name="device"/>.</summary>
        public static Tensor get_rng_state(int device = 0)
        {
            new Device(DeviceType.CUDA, device).CheckAvailable();
            return new(mt_get_rng_state((int)DeviceType.CUDA, device));
        }

        public static void set_rng_state(Tensor state, int device = 0)
        {
            new Device(DeviceType.CUDA, device).CheckAvailable();
            Check(mt_set_rng_state((int)DeviceType.CUDA, device, state.Handle));
        }
    }
}
