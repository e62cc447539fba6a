using MtlAgent.Build;

namespace MtlAgent.Agent.Engine;

/// <summary>What <see cref="LibTorchSymbols.Check"/> found.</summary>
/// <param name="Shim">TorchSharp's native shim that was read.</param>
/// <param name="Libraries">The libtorch libraries whose exports were read.</param>
/// <param name="Imported">Symbols the shim imports from libtorch (its unversioned undefined symbols).</param>
/// <param name="Missing">Those that none of <paramref name="Libraries"/> defines, sorted.</param>
public sealed record SymbolCheck(string Shim, IReadOnlyList<string> Libraries, int Imported, IReadOnlyList<string> Missing);

/// <summary>
/// Whether a libtorch provides every symbol TorchSharp's native shim imports from it, read from the ELF files alone
/// (nothing is loaded), so another libtorch version's gaps show before anything runs. Linux only.
/// </summary>
public static class LibTorchSymbols
{
    /// <summary>The libtorch libraries TorchSharp uses, in load order; libtorch_cuda only where present.</summary>
    public static readonly IReadOnlyList<string> LibraryFiles = ["libc10.so", "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so", "libc10_cuda.so"];

    // Unversioned undefined symbols that no library has to define: weak hooks of the C runtime.
    private static readonly HashSet<string> RuntimeHooks = ["__gmon_start__", "_ITM_registerTMCloneTable", "_ITM_deregisterTMCloneTable"];

    /// <summary>Checks <paramref name="shim"/> against the libtorch libraries of <paramref name="libtorchFolder"/>.</summary>
    public static SymbolCheck Check(string shim, string libtorchFolder)
    {
        if (!File.Exists(shim)) throw new FileNotFoundException($"TorchSharp's native shim {shim} does not exist", shim);
        var libraries = LibraryFiles.Select(f => Path.Combine(libtorchFolder, f)).Where(File.Exists).ToList();
        if (libraries.Count == 0) throw new FileNotFoundException($"'{libtorchFolder}' holds none of {string.Join(", ", LibraryFiles)}");
        var imported = LibTorchSharpFix.DynamicSymbols(shim)
            .Where(s => !s.Defined && s.Version is null && s.Name.Length > 0 && !RuntimeHooks.Contains(s.Name))
            .Select(s => s.Name)
            .ToHashSet();
        var defined = new HashSet<string>();
        foreach (var library in libraries)
            foreach (var s in LibTorchSharpFix.DynamicSymbols(library))
                if (s.Defined) defined.Add(s.Name);
        var missing = imported.Where(s => !defined.Contains(s)).Order(StringComparer.Ordinal).ToList();
        return new SymbolCheck(shim, libraries, imported.Count, missing);
    }
}
