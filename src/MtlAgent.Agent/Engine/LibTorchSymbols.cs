using MtlAgent.Build;

namespace MtlAgent.Agent.Engine;

/// <summary>What <see cref="LibTorchSymbols.Check"/> found.</summary>
/// <param name="Shim">TorchSharp's native shim that was read.</param>
/// <param name="Libraries">The libtorch libraries whose exports were read.</param>
/// <param name="Imported">Symbols the shim imports from libtorch (its unversioned, non-weak undefined symbols).</param>
/// <param name="Missing">Those that none of <paramref name="Libraries"/> defines, sorted.</param>
public sealed record SymbolCheck(string Shim, IReadOnlyList<string> Libraries, int Imported, IReadOnlyList<string> Missing);

/// <summary>
/// Whether a libtorch provides every symbol TorchSharp's native shim imports from it, read from the ELF files alone
/// (nothing is loaded), so another libtorch version's gaps show before anything runs. Linux only.
/// </summary>
public static class LibTorchSymbols
{
    /// <summary>The libtorch libraries TorchSharp uses, in load order; libtorch_cuda only where present.</summary>
    public static readonly IReadOnlyList<string> LibraryFiles =
        ["libc10.so", "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so", "libc10_cuda.so"];

    private const byte WeakBinding = 2; // STB_WEAK: an undefined weak symbol may stay unbound (e.g. _ZTH thread-local initialisers)

    /// <summary>Checks <paramref name="shim"/> against the libtorch libraries of <paramref name="libtorchFolder"/>.</summary>
    public static SymbolCheck Check(string shim, string libtorchFolder)
    {
        if (!File.Exists(shim)) throw new FileNotFoundException($"TorchSharp's native shim {shim} does not exist", shim);
        var libraries = LibraryFiles.Select(f => Path.Combine(libtorchFolder, f)).Where(File.Exists).ToList();
        if (libraries.Count == 0) throw new FileNotFoundException($"'{libtorchFolder}' holds none of {string.Join(", ", LibraryFiles)}");
        // Versioned imports come from the system (glibc, libstdc++, libgomp); libtorch's exports are unversioned.
        var elf = ElfFile.Read(shim);
        var imported = LibTorchSharpFix.DynamicSymbols(shim)
            .Zip(elf.DynamicSymbols.Skip(1))
            .Where(p => !p.First.Defined && p.First.Version is null && p.First.Name.Length > 0 && p.Second.Info >> 4 != WeakBinding)
            .Select(p => p.First.Name)
            .ToHashSet();
        var defined = new HashSet<string>();
        foreach (var library in libraries)
            foreach (var s in LibTorchSharpFix.DynamicSymbols(library))
                if (s.Defined) defined.Add(s.Name);
        var missing = imported.Where(s => !defined.Contains(s)).Order(StringComparer.Ordinal).ToList();
        return new SymbolCheck(shim, libraries, imported.Count, missing);
    }
}
