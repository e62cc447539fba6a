namespace MtlAgent.Build.Tests;

/// <summary>MakeVersionWeak on temporary copies of the real files.</summary>
public class PatchTests
{
    private static readonly DateTime Distinct = new(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);

    [Fact]
    public void PatchingAFreshCopySetsTheFlagAndChangesNothingElse()
    {
        using var dir = new TempDir();
        var original = File.ReadAllBytes(TestFiles.CachedShim);
        var copy = dir.Copy(TestFiles.CachedShim);
        var mode = File.GetUnixFileMode(copy);
        var time = File.GetLastWriteTimeUtc(copy);

        Assert.Equal(PatchResult.Patched, LibTorchSharpFix.MakeVersionWeak(copy, TestFiles.Library, TestFiles.Version));

        var before = TestFiles.Need(new ElfFile(TestFiles.CachedShim, original));
        var elf = ElfFile.Read(copy);
        var after = TestFiles.Need(elf);
        Assert.Equal(ElfFile.VER_FLG_WEAK, after.Flags & ElfFile.VER_FLG_WEAK);
        Assert.Equal(before.Flags | ElfFile.VER_FLG_WEAK, after.Flags);
        Assert.Equal(before.Index, after.Index);
        // Every other vernaux entry keeps its flags.
        var othersBefore = new ElfFile("original", original).VersionNeeds
            .SelectMany(n => n.Entries).Where(e => e.Name != TestFiles.Version);
        Assert.All(othersBefore.Zip(elf.VersionNeeds.SelectMany(n => n.Entries).Where(e => e.Name != TestFiles.Version)),
            p => Assert.Equal(p.First.Flags, p.Second.Flags));

        // Byte for byte the original, except the two bytes of that vna_flags.
        var patched = File.ReadAllBytes(copy);
        Assert.Equal(original.Length, patched.Length);
        for (int i = 0; i < original.Length; i++)
        {
            if (i == before.FlagsOffset || i == before.FlagsOffset + 1) continue;
            if (original[i] != patched[i]) Assert.Fail($"byte 0x{i:x} changed");
        }
        Assert.Equal((ushort)(before.Flags | 2), (ushort)(patched[before.FlagsOffset] | patched[before.FlagsOffset + 1] << 8));

        // Same permissions and time stamp; no temporary file left behind.
        Assert.Equal(mode, File.GetUnixFileMode(copy));
        Assert.Equal(time, File.GetLastWriteTimeUtc(copy));
        Assert.Equal(new[] { copy }, Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void AHardLinkIsReplacedNotWrittenThrough()
    {
        using var dir = new TempDir();
        var cache = dir.Copy(TestFiles.CachedShim, "cache.so");
        var output = dir.File("output.so");
        TestFiles.HardLink(cache, output);

        Assert.Equal(PatchResult.Patched, LibTorchSharpFix.MakeVersionWeak(output, TestFiles.Library, TestFiles.Version));

        Assert.True(TestFiles.IsWeak(output));
        Assert.False(TestFiles.IsWeak(cache));
        Assert.Equal(File.ReadAllBytes(TestFiles.CachedShim), File.ReadAllBytes(cache));
    }

    [Fact]
    public void ASymbolicLinkIsReplacedByAPatchedFileWithTheTargetsTimeStamp()
    {
        using var dir = new TempDir();
        var cache = dir.Copy(TestFiles.CachedShim, "cache.so");
        var output = dir.File("output.so");
        File.CreateSymbolicLink(output, cache);

        Assert.Equal(PatchResult.Patched, LibTorchSharpFix.MakeVersionWeak(output, TestFiles.Library, TestFiles.Version));

        Assert.Null(new FileInfo(output).LinkTarget);
        Assert.True(TestFiles.IsWeak(output));
        Assert.False(TestFiles.IsWeak(cache));
        Assert.Equal(File.ReadAllBytes(TestFiles.CachedShim), File.ReadAllBytes(cache));
        // What MSBuild's Copy compares against next time: the target's time, not the link's.
        Assert.Equal(File.GetLastWriteTimeUtc(cache), File.GetLastWriteTimeUtc(output));
    }

    // (b)
    [Fact]
    public void AnAlreadyPatchedFileIsLeftByteIdenticalAndNotRewritten()
    {
        using var dir = new TempDir();
        var copy = dir.Copy(TestFiles.CachedShim);
        Assert.Equal(PatchResult.Patched, LibTorchSharpFix.MakeVersionWeak(copy, TestFiles.Library, TestFiles.Version));
        File.SetLastWriteTimeUtc(copy, Distinct);
        var witness = dir.File("witness.so");
        TestFiles.HardLink(copy, witness);
        var bytes = File.ReadAllBytes(copy);

        Assert.Equal(PatchResult.AlreadyWeak, LibTorchSharpFix.MakeVersionWeak(copy, TestFiles.Library, TestFiles.Version));

        Assert.Equal(bytes, File.ReadAllBytes(copy));
        Assert.Equal(Distinct, File.GetLastWriteTimeUtc(copy));
        Assert.True(TestFiles.SameInode(copy, witness), "the file was replaced");
    }

    // (c)
    [Fact]
    public void LibC10NeedsNoPatchAndIsLeftUntouched() => AssertNotRequired(TestFiles.CachedLibC10);

    [Fact]
    public void TheSystemLibStdCxxNeedsNoPatchAndIsLeftUntouched() =>
        AssertNotRequired(LibTorchSharpFix.FindSystemLibStdCxx() ?? throw new InvalidOperationException("no system libstdc++.so.6"));

    private static void AssertNotRequired(string source)
    {
        using var dir = new TempDir();
        var copy = dir.Copy(source, "library.so");
        File.SetLastWriteTimeUtc(copy, Distinct);
        var witness = dir.File("witness.so");
        TestFiles.HardLink(copy, witness);

        Assert.Equal(PatchResult.NotRequired, LibTorchSharpFix.MakeVersionWeak(copy, TestFiles.Library, TestFiles.Version));

        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(copy));
        Assert.Equal(Distinct, File.GetLastWriteTimeUtc(copy));
        Assert.True(TestFiles.SameInode(copy, witness), "the file was replaced");
        Assert.Equal(2, Directory.GetFileSystemEntries(dir.Path).Length);
    }

    // (e)
    [Fact]
    public void TheShippedShimUsesNoSymbolOfThatVersionInAnyRelocation()
    {
        var elf = ElfFile.Read(TestFiles.CachedShim);
        var index = TestFiles.Need(elf).Index;
        var symbols = Enumerable.Range(1, elf.DynamicSymbols.Count - 1).Where(i => elf.VersionIndexOf(i) == index).ToList();
        Assert.Equal(new[] { TestFiles.IosBaseInit }, symbols.Select(i => elf.DynamicSymbols[i].Name));
        Assert.False(elf.DynamicSymbols[symbols[0]].Defined);
        Assert.DoesNotContain(elf.Relocations, r => r.Symbol == symbols[0]);
        Assert.Contains(elf.Relocations, r => r.Symbol != 0);
    }

    [Fact]
    public void PatchingIsRefusedWhenARelocationUsesASymbolOfThatVersion()
    {
        using var dir = new TempDir();
        var copy = dir.Copy(TestFiles.CachedShim);
        var elf = ElfFile.Read(copy);
        var index = TestFiles.Need(elf).Index;
        int symbol = Enumerable.Range(1, elf.DynamicSymbols.Count - 1).Single(i => elf.VersionIndexOf(i) == index);
        // Point the first relocation that uses a symbol (a GLOB_DAT or JUMP_SLOT) at _ZSt21ios_base_library_initv.
        var relocation = elf.Relocations.First(r => r.Symbol != 0);
        var bytes = (byte[])elf.Data.Clone();
        BitConverter.GetBytes(((ulong)(uint)symbol << 32) | relocation.Type).CopyTo(bytes, relocation.Offset + 8);
        File.WriteAllBytes(copy, bytes);

        var error = Assert.Throws<InvalidDataException>(() => LibTorchSharpFix.MakeVersionWeak(copy, TestFiles.Library, TestFiles.Version));

        Assert.Contains(copy, error.Message);
        Assert.Contains("refusing", error.Message);
        Assert.Contains(TestFiles.IosBaseInit, error.Message);
        Assert.Contains(relocation.Section.Name, error.Message);
        Assert.Equal(bytes, File.ReadAllBytes(copy));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
    }
}
