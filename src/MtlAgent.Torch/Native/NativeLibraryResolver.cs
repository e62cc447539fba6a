using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MtlAgent.Torch.Native;

/// <summary>
/// Finds libmtltorch.so: $MTL_TORCH_NATIVE (full path of another build, e.g. a CUDA one), then
/// runtimes/linux-x64/native/ next to this assembly, then the application folder. The runtime does
/// not probe runtimes/ for a library that deps.json does not list, hence the resolver.
/// On load it checks the ABI version and initialises threads (OpenBLAS 1, torch $MTL_TORCH_THREADS or 1).
/// </summary>
internal static class NativeLibraryResolver
{
    internal const string LibraryName = "mtltorch";
    internal const string FileName = "libmtltorch.so";
    internal const string OverrideVariable = "MTL_TORCH_NATIVE";
    internal const string ThreadsVariable = "MTL_TORCH_THREADS";

#pragma warning disable CA2255 // a library must install its own resolver before its first P/Invoke
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Install() =>
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);

    static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibraryName) return IntPtr.Zero;
        var handle = NativeLibrary.Load(FindLibrary());
        Initialise(handle);
        return handle;
    }

    static string FindLibrary()
    {
        var overridePath = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrEmpty(overridePath))
        {
            if (!File.Exists(overridePath))
                throw new DllNotFoundException($"{OverrideVariable}='{overridePath}' does not name an existing file");
            return overridePath;
        }
        var candidates = new List<string>();
        foreach (var dir in new[] { Path.GetDirectoryName(typeof(NativeLibraryResolver).Assembly.Location), AppContext.BaseDirectory })
        {
            if (string.IsNullOrEmpty(dir)) continue;
            candidates.Add(Path.Combine(dir, "runtimes", "linux-x64", "native", FileName));
            candidates.Add(Path.Combine(dir, FileName));
        }
        foreach (var c in candidates)
            if (File.Exists(c)) return c;
        throw new DllNotFoundException(
            $"{FileName} not found; looked in: {string.Join(", ", candidates.Distinct())}. " +
            $"Build src/MtlAgent.Torch (it runs CMake) or set {OverrideVariable} to the library's full path.");
    }

    static unsafe void Initialise(IntPtr handle)
    {
        var version = ((delegate* unmanaged<int>)NativeLibrary.GetExport(handle, "mt_abi_version"))();
        if (version != NativeMethods.AbiVersion)
            throw new InvalidOperationException(
                $"{FileName} has ABI version {version} but MtlAgent.Torch expects {NativeMethods.AbiVersion}; rebuild the native library");
        var threads = 1;
        if (int.TryParse(Environment.GetEnvironmentVariable(ThreadsVariable), out var t) && t > 0) threads = t;
        var init = (delegate* unmanaged<int, int>)NativeLibrary.GetExport(handle, "mt_init");
        if (init(threads) != 0)
            throw new TorchException("libmtltorch initialisation failed");
    }
}
