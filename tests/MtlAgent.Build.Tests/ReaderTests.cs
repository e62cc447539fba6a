namespace MtlAgent.Build.Tests;

/// <summary>The ELF reader: what it refuses, and what it reads from the real files.</summary>
public sealed class ReaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    // (d) Files that are not, or not entirely, ELF64 little-endian: refused, named, untouched.

    [Fact]
    public void ANonElfFileIsRefused()
    {
        var path = _dir.File("notes.so");
        File.WriteAllText(path, "this is not a shared library\n");
        AssertRefused(path, "not an ELF file");
        Assert.Contains("not an ELF file", Assert.Throws<InvalidDataException>(() => LibTorchSharpFix.DefinesVersion(path, "X")).Message);
    }

    [Fact]
    public void AnEmptyFileIsRefused()
    {
        var path = _dir.File("empty.so");
        File.WriteAllBytes(path, Array.Empty<byte>());
        AssertRefused(path, "not an ELF file");
    }

    [Fact]
    public void ATruncatedCopyOfTheShimIsRefused()
    {
        var path = _dir.File("libLibTorchSharp.so");
        File.WriteAllBytes(path, File.ReadAllBytes(TestFiles.CachedShim).AsSpan(0, 4096).ToArray());
        var message = AssertRefused(path, "truncated");
        Assert.Contains("section header table", message);
    }

    [Fact]
    public void ACopyCutInsideTheHeaderIsRefused()
    {
        var path = _dir.File("libLibTorchSharp.so");
        File.WriteAllBytes(path, File.ReadAllBytes(TestFiles.CachedShim).AsSpan(0, 40).ToArray());
        AssertRefused(path, "shorter than the 64-byte ELF header");
    }

    [Fact]
    public void A32BitFileIsRefused() => AssertRefused(Edited((b, _) => b[4] = 1), "32-bit");

    [Fact]
    public void ABigEndianFileIsRefused() => AssertRefused(Edited((b, _) => b[5] = 2), "big-endian");

    [Fact]
    public void AVersionSectionOutsideTheFileIsRefused() =>
        AssertRefused(Edited((b, elf) => Put64(b, Section(elf, ".gnu.version_r").HeaderOffset + 24, (ulong)b.Length + 16)),
            "lies outside the file");

    [Fact]
    public void AVersionNeedChainLeavingItsSectionIsRefused() =>
        AssertRefused(Edited((b, elf) => Put32(b, Section(elf, ".gnu.version_r").Offset + 12, 0x10000)), "lies outside .gnu.version_r");

    [Fact]
    public void AnOddSymbolEntrySizeIsRefused() =>
        AssertRefused(Edited((b, elf) => Put64(b, Section(elf, ".dynsym").HeaderOffset + 56, 7)), ".dynsym has entry size 7");

    [Fact]
    public void ARelocationBeyondTheSymbolTableIsRefused() =>
        AssertRefused(Edited((b, elf) =>
        {
            var r = elf.Relocations.First(x => x.Symbol != 0);
            Put64(b, r.Offset + 8, ((ulong)(uint)elf.DynamicSymbols.Count << 32) | r.Type);
        }), "the dynamic symbol table has");

    [Fact]
    public void AStringOffsetOutsideTheStringTableIsRefused() =>
        AssertRefused(Edited((b, elf) => Put32(b, TestFiles.Need(elf).Offset + 8, 0x7fffffff)), "outside .dynstr");

    // (f) and the symbol listing

    [Fact]
    public void TheSystemLibStdCxxIsFoundAndItsVersionsRead()
    {
        var system = LibTorchSharpFix.FindSystemLibStdCxx();
        Assert.NotNull(system);
        Assert.True(LibTorchSharpFix.DefinesVersion(system, "GLIBCXX_3.4"));
        Assert.False(LibTorchSharpFix.DefinesVersion(system, "GLIBCXX_9.9.99"));
        if (IsDebian12())
        {
            // GCC 12's libstdc++: up to GLIBCXX_3.4.30, which is why the shim needs the fix here.
            Assert.True(LibTorchSharpFix.DefinesVersion(system, "GLIBCXX_3.4.30"));
            Assert.False(LibTorchSharpFix.DefinesVersion(system, "GLIBCXX_3.4.31"));
            Assert.False(LibTorchSharpFix.DefinesVersion(system, "GLIBCXX_3.4.32"));
        }
    }

    [Fact]
    public void DynamicSymbolsListsUndefinedAndDefinedSymbolsWithVersions()
    {
        var shim = LibTorchSharpFix.DynamicSymbols(TestFiles.CachedShim).ToList();
        Assert.Equal(ElfFile.Read(TestFiles.CachedShim).DynamicSymbols.Count - 1, shim.Count);
        Assert.Contains((TestFiles.IosBaseInit, (string?)TestFiles.Version, false), shim);
        Assert.Single(shim, s => s.Version == TestFiles.Version);
        Assert.Contains(("THSTensor_sum", (string?)null, true), shim);
        Assert.Contains(shim, s => s.Name == "malloc" && s.Version == "GLIBC_2.2.5" && !s.Defined);

        var system = LibTorchSharpFix.FindSystemLibStdCxx()!;
        var libstdcxx = LibTorchSharpFix.DynamicSymbols(system).ToList();
        Assert.Contains(("_ZNSt8ios_base4InitC1Ev", (string?)"GLIBCXX_3.4", true), libstdcxx);
        Assert.Equal(LibTorchSharpFix.DefinesVersion(system, TestFiles.Version),
            libstdcxx.Any(s => s.Name == TestFiles.IosBaseInit && s.Defined));
    }

    [Fact]
    public void TheShimsVersionNeedsMatchWhatReadelfShows()
    {
        // readelf -V: libstdc++.so.6 Cnt: 20, GLIBCXX_3.4.32 Flags: none Version: 18 at 0x0140.
        var elf = ElfFile.Read(TestFiles.CachedShim);
        Assert.Equal(5, elf.VersionNeeds.Count);
        var need = elf.VersionNeeds.Single(n => n.File == TestFiles.Library);
        Assert.Equal(20, need.Entries.Count);
        var entry = TestFiles.Need(elf);
        Assert.Equal(18, entry.Index);
        Assert.Equal(0, entry.Flags);
        Assert.Equal(Section(elf, ".gnu.version_r").Offset + 0x140, entry.Offset);
        Assert.Equal(ElfFile.EM_X86_64, elf.Machine);
    }

    private static bool IsDebian12()
    {
        if (!File.Exists("/etc/os-release")) return false;
        var lines = File.ReadAllLines("/etc/os-release");
        return lines.Contains("ID=debian") && lines.Contains("VERSION_ID=\"12\"");
    }

    private static string AssertRefused(string path, string problem)
    {
        var before = File.ReadAllBytes(path);
        var error = Assert.Throws<InvalidDataException>(() => LibTorchSharpFix.MakeVersionWeak(path, TestFiles.Library, TestFiles.Version));
        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains(problem, error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        return error.Message;
    }

    // A copy of the shim with one edit, in this test's temporary directory.
    private string Edited(Action<byte[], ElfFile> edit)
    {
        var path = _dir.File("libLibTorchSharp.so");
        var bytes = File.ReadAllBytes(TestFiles.CachedShim);
        edit(bytes, new ElfFile(TestFiles.CachedShim, bytes));
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static ElfFile.Section Section(ElfFile elf, string name) => elf.Sections.Single(s => s.Name == name);

    private static void Put32(byte[] b, long at, uint value) => BitConverter.GetBytes(value).CopyTo(b, at);

    private static void Put64(byte[] b, long at, ulong value) => BitConverter.GetBytes(value).CopyTo(b, at);
}
