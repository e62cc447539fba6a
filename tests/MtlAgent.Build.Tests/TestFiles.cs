using System.IO.Compression;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

// libLibTorchSharp.so, ELF and hard links: these tests are for Linux only.
[assembly: SupportedOSPlatform("linux")]

namespace MtlAgent.Build.Tests;

/// <summary>The files the tests work on: the NuGet-cache originals (never written) and temporary copies.</summary>
internal static partial class TestFiles
{
    public const string Version = LibTorchSharpFix.RequiredVersion;
    public const string Library = LibTorchSharpFix.LibStdCxx;
    public const string IosBaseInit = "_ZSt21ios_base_library_initv";

    private static string Metadata(string key) =>
        typeof(TestFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"assembly metadata {key} is missing");

    public static string TorchSharpPackage => Metadata("TorchSharpPackage");

    /// <summary>libLibTorchSharp.so in the NuGet cache: the original, read only.</summary>
    public static string CachedShim => Path.Combine(TorchSharpPackage, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    /// <summary>libc10.so from the libtorch package: needs nothing from GLIBCXX_3.4.32.</summary>
    public static string CachedLibC10 => Path.Combine(Metadata("LibTorchPackage"), "runtimes", "linux-x64", "native", "libc10.so");

    /// <summary>The shim as the package ships it, straight out of the .nupkg in the cache.</summary>
    public static byte[] ShippedShim()
    {
        using var zip = ZipFile.OpenRead(Path.Combine(TorchSharpPackage, "torchsharp.0.107.0.nupkg"));
        var entry = zip.GetEntry("runtimes/linux-x64/native/libLibTorchSharp.so")
            ?? throw new InvalidOperationException("the .nupkg has no runtimes/linux-x64/native/libLibTorchSharp.so");
        using var stream = entry.Open();
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>The copy the build put beside the test assembly (either layout).</summary>
    public static string OutputShim()
    {
        var candidates = new[]
        {
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
            Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so"),
        };
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"no libLibTorchSharp.so under {AppContext.BaseDirectory}");
    }

    /// <summary>Whether the build should have patched: the same decision the MSBuild task makes.</summary>
    public static bool SystemLacksVersion()
    {
        var system = LibTorchSharpFix.FindSystemLibStdCxx();
        return system == null || !LibTorchSharpFix.DefinesVersion(system, Version);
    }

    /// <summary>The vernaux entry of GLIBCXX_3.4.32 under libstdc++.so.6.</summary>
    public static ElfFile.VersionNeedEntry Need(ElfFile elf) =>
        elf.VersionNeeds.Single(n => n.File == Library).Entries.Single(e => e.Name == Version);

    public static bool IsWeak(string path) => (Need(ElfFile.Read(path)).Flags & ElfFile.VER_FLG_WEAK) != 0;

    /// <summary>Makes <paramref name="witness"/> a hard link to <paramref name="path"/>.</summary>
    public static void HardLink(string path, string witness)
    {
        if (link(path, witness) != 0)
            throw new IOException($"link({path}, {witness}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>
    /// Whether two names are the same file (inode): a byte written through one shows through the
    /// other. Destructive (it flips one byte in the middle of the file and back), so only for copies.
    /// </summary>
    public static bool SameInode(string a, string b)
    {
        var length = new FileInfo(a).Length;
        long at = length / 2;
        byte before = ReadByte(b, at);
        WriteByte(a, at, (byte)~ReadByte(a, at));
        bool same = ReadByte(b, at) != before;
        WriteByte(a, at, (byte)~ReadByte(a, at));
        return same;
    }

    private static byte ReadByte(string path, long at)
    {
        using var s = new FileStream(path, FileMode.Open, FileAccess.Read);
        s.Position = at;
        return (byte)s.ReadByte();
    }

    private static void WriteByte(string path, long at, byte value)
    {
        using var s = new FileStream(path, FileMode.Open, FileAccess.Write);
        s.Position = at;
        s.WriteByte(value);
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int link(string oldpath, string newpath);
}

/// <summary>A fresh temporary directory, removed afterwards.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateDirectory(
        System.IO.Path.Combine(System.IO.Path.GetTempPath(), "libtorchsharpfix-" + Guid.NewGuid().ToString("N"))).FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Copies <paramref name="source"/> in (File.Copy keeps its mode and time stamp).</summary>
    public string Copy(string source, string? name = null)
    {
        var target = File(name ?? System.IO.Path.GetFileName(source));
        System.IO.File.Copy(source, target);
        return target;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
