using System.Runtime.InteropServices;

namespace MtlAgent.Agent.Engine;

/// <summary>
/// What .NET's <see cref="NativeLibrary"/> does not say: whether a library is already loaded (and from where), and the
/// loader's own error text. Through <c>dlopen</c>/<c>dlerror</c> on Linux; elsewhere these answer "unknown".
/// </summary>
internal static class NativeLibraries
{
    private const int RTLD_LAZY = 0x1, RTLD_NOLOAD = 0x4;

    /// <summary>A platform's file name for a library: <c>lib{name}.so</c>, <c>lib{name}.dylib</c> or <c>{name}.dll</c>.</summary>
    public static string FileName(string name) =>
        OperatingSystem.IsWindows() ? $"{name}.dll" : OperatingSystem.IsMacOS() ? $"lib{name}.dylib" : $"lib{name}.so";

    /// <summary>
    /// The handle of an already loaded library whose file name (soname) is <paramref name="fileName"/>, without loading
    /// anything; <see cref="IntPtr.Zero"/> when none is loaded or the platform is not Linux.
    /// </summary>
    public static IntPtr Loaded(string fileName) => OperatingSystem.IsLinux() ? dlopen(fileName, RTLD_LAZY | RTLD_NOLOAD) : IntPtr.Zero;

    /// <summary>
    /// The absolute path a loaded library named <paramref name="fileName"/> was mapped from (Linux: <c>/proc/self/maps</c>), or null.
    /// </summary>
    public static string? LoadedPath(string fileName)
    {
        if (!OperatingSystem.IsLinux()) return null;
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            int slash = line.IndexOf('/');
            if (slash >= 0 && line.EndsWith("/" + fileName, StringComparison.Ordinal)) return line[slash..];
        }
        return null;
    }

    /// <summary>
    /// Tries to load <paramref name="path"/>; returns null on success (the library stays loaded) or the loader's error
    /// text, which names the missing dependency or symbol version. Not Linux: .NET's own message.
    /// </summary>
    public static string? TryLoad(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            try { NativeLibrary.Load(path); return null; }
            catch (DllNotFoundException e) { return e.Message; }
        }
        // Binding dlerror on its first call goes through the loader and clears the error: bind it (and clear) first.
        dlerror();
        if (dlopen(path, RTLD_LAZY) != IntPtr.Zero) return null;
        var error = dlerror();
        return error == IntPtr.Zero ? "dlopen failed without a message" : Marshal.PtrToStringUTF8(error);
    }

    /// <summary>
    /// The <c>libtorch_cpu</c> TorchSharp loaded (by soname, so also one loaded from <c>MTL_LIBTORCH_DIR</c>: loading by
    /// path could map a second libtorch), for calling its exports.
    /// </summary>
    public static IntPtr LibTorchCpu()
    {
        var loaded = Loaded(FileName("torch_cpu"));
        if (loaded != IntPtr.Zero) return loaded;
        if (NativeLibrary.TryLoad("torch_cpu", typeof(TorchSharp.torch).Assembly, null, out var probed)) return probed;
        throw new DllNotFoundException($"cannot find the {FileName("torch_cpu")} TorchSharp loaded");
    }

    // glibc 2.34+ has these in libc.so.6 and keeps libdl.so.2 as a stub, so libdl.so.2 works on old and new systems.
    [DllImport("libdl.so.2")]
    private static extern IntPtr dlopen([MarshalAs(UnmanagedType.LPUTF8Str)] string file, int mode);

    [DllImport("libdl.so.2")]
    private static extern IntPtr dlerror();
}
