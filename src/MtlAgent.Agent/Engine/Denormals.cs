using System.Runtime.InteropServices;
using TorchSharp;

namespace MtlAgent.Agent.Engine;

/// <summary>
/// Flushing denormal floats to zero, through libtorch's own <c>at::Context::setFlushDenormal(bool)</c> (PyTorch's
/// <c>torch.set_flush_denormal</c>; TorchSharp 0.107 does not bind it). Denormals appear in RMSprop's averages for
/// weights whose gradient stays zero and make every elementwise op over them several times slower on many CPUs.
/// </summary>
/// <remarks>
/// <para>It sets the calling thread's floating-point control register (on x86 the MXCSR FTZ and DAZ bits), for
/// libtorch and for .NET arithmetic alike. Other threads keep theirs, with one exception: a thread inherits its
/// creator's setting when it is created, so libtorch's intra-op (OpenMP) workers follow the thread that first runs a
/// parallel op if that thread flushed before it. Call it at the start of every thread that runs tensor code.</para>
/// <para>The entry point is called by its mangled name in the <c>libtorch_cpu</c> TorchSharp loaded: no C++ of our own.
/// <c>_ZN2at7Context16setFlushDenormalEb</c> (Itanium C++ ABI: Linux, macOS) is a <em>static</em> member of
/// <c>at::Context</c>, so it takes no <c>this</c> and <c>at::globalContext()</c> is not needed: its code in libtorch
/// 2.10 is <c>movzbl %dil,%edi; jmp at::cpu::set_flush_denormal(bool)</c>, reading <c>on</c> from the first argument.
/// (Passing a context pointer first would make <c>on</c> the pointer's low byte: always on.) The Windows (MSVC) name
/// is written but untested.</para>
/// </remarks>
public static class Denormals
{
    // Not readonly, so the JIT cannot fold the probe product to a constant.
    private static float s_tiny = 1e-30f, s_scale = 1e-10f;
    private static readonly Lazy<IntPtr> SetFlushDenormal = new(Bind);

    /// <summary>
    /// Turns flushing of denormals to zero on or off for the calling thread. Returns false when the processor does not
    /// support it (libtorch's answer; the setting is then unchanged).
    /// </summary>
    public static unsafe bool FlushOnThisThread(bool enabled) =>
        ((delegate* unmanaged<byte, byte>)SetFlushDenormal.Value)(enabled ? (byte)1 : (byte)0) != 0;

    /// <summary>
    /// Whether the calling thread flushes denormals now: measured (a product that would be denormal, computed in .NET,
    /// comes out zero), so it reads the state without changing it.
    /// </summary>
    public static bool AreFlushedOnThisThread => s_tiny * s_scale == 0f;

    private static IntPtr Bind()
    {
        // libtorch is loaded by TorchSharp's first use; this makes that happen now.
        torch.InitializeDeviceType(DeviceType.CPU);
        // static bool at::Context::setFlushDenormal(bool on)
        var name = OperatingSystem.IsWindows() ? "?setFlushDenormal@Context@at@@SA_N_N@Z" : "_ZN2at7Context16setFlushDenormalEb";
        if (!NativeLibrary.TryGetExport(NativeLibraries.LibTorchCpu(), name, out var entry))
            throw new EntryPointNotFoundException(
                $"{NativeLibraries.FileName("torch_cpu")} does not export {name} (at::Context::setFlushDenormal); is it libtorch " +
                $"{LibTorchFolder.RequiredVersion}?");
        return entry;
    }
}
