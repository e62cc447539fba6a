// LibTorchSharpFix: makes TorchSharp's native shim load against an older system libstdc++.
//
// TorchSharp 0.107's libLibTorchSharp.so was linked with GCC 13 and so requires the version
// GLIBCXX_3.4.32 of libstdc++.so.6. Exactly one symbol carries it, _ZSt21ios_base_library_initv,
// which GCC 13's <iostream> only references (a bare .globl) to force linking the iostream init
// object; no relocation uses it. On a system whose libstdc++ stops at GLIBCXX_3.4.30 (GCC 12,
// e.g. Debian 12) the dynamic loader refuses the whole library for that one unused version.
// Setting VER_FLG_WEAK in the Elf64_Vernaux entry of that version turns the refusal into a note
// ("weak version not found") and everything else binds as before.
//
// This file is compiled twice:
//  * by MSBuild's RoslynCodeTaskFactory (LibTorchSharpFix.targets), against netstandard 2.0
//    reference assemblies plus Microsoft.Build.Framework/Utilities.Core: so only netstandard 2.0
//    APIs here (no Span, no BinaryPrimitives, no records/init, no File.Move(overwrite)), and
//  * with LIBTORCHSHARP_FIX_NO_TASK defined, which drops the MSBuild task class so that they need
//    no MSBuild references: by the tests, and by the agent for `mtl doctor` (its symbol check).

#nullable enable

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace MtlAgent.Build
{
    /// <summary>What <see cref="LibTorchSharpFix.MakeVersionWeak"/> did.</summary>
    public enum PatchResult
    {
        /// <summary>The file does not require that version of that library: left untouched.</summary>
        NotRequired,
        /// <summary>The requirement is already weak: left untouched.</summary>
        AlreadyWeak,
        /// <summary>The requirement was made weak (the file was replaced by a patched copy).</summary>
        Patched,
    }

    /// <summary>The operations the build (and a diagnostic) needs, on top of <see cref="ElfFile"/>.</summary>
    public static class LibTorchSharpFix
    {
        public const string LibStdCxx = "libstdc++.so.6";
        public const string RequiredVersion = "GLIBCXX_3.4.32";

        /// <summary>True when the shared library defines (provides) the symbol version, per .gnu.version_d.</summary>
        public static bool DefinesVersion(string sharedLibrary, string version)
        {
            var elf = ElfFile.Read(sharedLibrary);
            return elf.VersionDefinitions.Any(d => d.Name == version);
        }

        /// <summary>
        /// The system libstdc++.so.6 the dynamic loader would most likely pick for this process's
        /// architecture: the Debian/Ubuntu multiarch directory first, then the lib64 (Fedora, SUSE)
        /// and plain lib (Arch, Alpine with gcc) directories. Only files that are ELF64
        /// little-endian for the process's machine count. Null when none is found.
        /// It does not consult LD_LIBRARY_PATH or /etc/ld.so.cache.
        /// </summary>
        public static string? FindSystemLibStdCxx()
        {
            ushort machine;
            string triplet;
            switch (RuntimeInformation.ProcessArchitecture)
            {
                case Architecture.X64: machine = ElfFile.EM_X86_64; triplet = "x86_64-linux-gnu"; break;
                case Architecture.Arm64: machine = ElfFile.EM_AARCH64; triplet = "aarch64-linux-gnu"; break;
                default: return null; // the package only ships linux-x64 (and we know no other layout)
            }
            string[] directories =
            {
                "/lib/" + triplet, "/usr/lib/" + triplet, "/lib64", "/usr/lib64", "/lib", "/usr/lib",
            };
            foreach (var directory in directories)
            {
                var candidate = Path.Combine(directory, LibStdCxx);
                if (File.Exists(candidate) && ElfFile.IsElf64LittleEndian(candidate, machine))
                    return candidate;
            }
            return null;
        }

        /// <summary>
        /// Sets VER_FLG_WEAK on the vernaux entry of <paramref name="version"/> needed from
        /// <paramref name="libraryName"/>. A file that needs nothing is neither rewritten nor
        /// touched. A patched file is written to a temporary file beside it and renamed over the
        /// original: a hard or symbolic link into the NuGet cache is replaced, never written
        /// through, and a crash never leaves a half-written file. The patched file keeps the
        /// original's last-write time, so that MSBuild's Copy (SkipUnchangedFiles compares size and
        /// time) sees it as up to date and does not copy the unpatched original over it again.
        /// Throws <see cref="InvalidDataException"/> for a file that is not a well-formed ELF64
        /// little-endian file, or when a relocation uses a symbol of that version.
        /// </summary>
        public static PatchResult MakeVersionWeak(string path, string libraryName, string version)
        {
            var elf = ElfFile.Read(path);
            var needs = elf.VersionNeeds
                .Where(n => n.File == libraryName)
                .SelectMany(n => n.Entries)
                .Where(e => e.Name == version)
                .ToList();
            if (needs.Count == 0)
                return PatchResult.NotRequired;
            if (needs.All(e => (e.Flags & ElfFile.VER_FLG_WEAK) != 0))
                return PatchResult.AlreadyWeak;

            // Weakening is only harmless if nothing binds through a symbol of that version: a
            // relocation against such a symbol would be left unresolved (or the load would fail
            // later, at symbol lookup). Refuse instead of producing a library that crashes.
            var referenced = elf.ReferencedSymbols();
            foreach (var entry in needs)
            {
                for (int i = 1; i < elf.DynamicSymbols.Count; i++)
                {
                    if (elf.VersionIndexOf(i) != entry.Index || !referenced.TryGetValue(i, out var where))
                        continue;
                    throw new InvalidDataException(
                        $"{path}: refusing to make {version} of {libraryName} weak: symbol " +
                        $"'{elf.DynamicSymbols[i].Name}' (.dynsym #{i}) has that version and is used by " +
                        $"relocation {where}; with a weak version it would be left unbound where that " +
                        $"version is missing.");
                }
            }

            var patched = (byte[])elf.Data.Clone();
            foreach (var entry in needs)
                ElfFile.WriteU16(patched, entry.FlagsOffset, (ushort)(entry.Flags | ElfFile.VER_FLG_WEAK));
            ReplaceFile(path, elf.Data, patched);
            return PatchResult.Patched;
        }

        /// <summary>
        /// Every dynamic symbol (skipping the null symbol 0), defined or undefined, with its version
        /// name: null for unversioned (local or global) symbols.
        /// </summary>
        public static IEnumerable<(string Name, string? Version, bool Defined)> DynamicSymbols(string path)
        {
            var elf = ElfFile.Read(path);
            var names = new Dictionary<ushort, string>();
            foreach (var d in elf.VersionDefinitions) names[d.Index] = d.Name;
            foreach (var e in elf.VersionNeeds.SelectMany(n => n.Entries)) names[e.Index] = e.Name;
            var result = new List<(string, string?, bool)>(elf.DynamicSymbols.Count);
            for (int i = 1; i < elf.DynamicSymbols.Count; i++)
            {
                var index = elf.VersionIndexOf(i);
                string? name = index > ElfFile.VER_NDX_GLOBAL && names.TryGetValue(index, out var n) ? n : null;
                result.Add((elf.DynamicSymbols[i].Name, name, elf.DynamicSymbols[i].Defined));
            }
            return result;
        }

        // Copies the original (File.Copy keeps its permission bits, which netstandard 2.0 could not
        // set otherwise, and its last-write time), edits the copy, checks it is exactly the intended
        // bytes (so a file changed since it was read is not replaced by a stale edit), restores the
        // time stamp, then renames. The time is taken from the copy, not from the path: for a
        // symbolic link (CreateSymbolicLinksForCopyLocalIfPossible) File.GetLastWriteTimeUtc gives
        // the link's own time, while Copy's up-to-date check compares the target's.
        private static void ReplaceFile(string path, byte[] original, byte[] patched)
        {
            var full = Path.GetFullPath(path);
            var directory = Path.GetDirectoryName(full) ?? ".";
            var temporary = Path.Combine(directory, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                File.Copy(full, temporary, overwrite: false);
                var lastWrite = File.GetLastWriteTimeUtc(temporary);
                using (var stream = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                    if (stream.Length != original.Length)
                        throw new IOException($"{full}: the file changed while it was being patched; build again.");
                    for (int i = 0; i < patched.Length; i++)
                    {
                        if (patched[i] == original[i]) continue;
                        stream.Position = i;
                        stream.WriteByte(patched[i]);
                    }
                    stream.Flush(flushToDisk: true);
                }
                if (!File.ReadAllBytes(temporary).SequenceEqual(patched))
                    throw new IOException($"{full}: the file changed while it was being patched; build again.");
                File.SetLastWriteTimeUtc(temporary, lastWrite);
                // On Unix File.Replace without a backup is rename(2): atomic, and it replaces a link
                // itself rather than the file it points to.
                File.Replace(temporary, full, destinationBackupFileName: null);
            }
            finally
            {
                if (File.Exists(temporary))
                    File.Delete(temporary);
            }
        }
    }

    /// <summary>
    /// A minimal reader of ELF64 little-endian files: section headers and the dynamic symbol,
    /// symbol-version and relocation sections. Every offset and size is checked against the file;
    /// anything malformed throws <see cref="InvalidDataException"/> naming the file and the problem.
    /// The whole file is read into memory (TorchSharp's shim is 2.4 MB).
    /// </summary>
    public sealed class ElfFile
    {
        public const uint SHT_NULL = 0, SHT_RELA = 4, SHT_NOBITS = 8, SHT_REL = 9, SHT_DYNSYM = 11;
        public const uint SHT_STRTAB = 3;
        public const uint SHT_GNU_verdef = 0x6ffffffd, SHT_GNU_verneed = 0x6ffffffe, SHT_GNU_versym = 0x6fffffff;
        public const ushort VER_FLG_BASE = 0x1, VER_FLG_WEAK = 0x2;
        public const ushort VER_NDX_LOCAL = 0, VER_NDX_GLOBAL = 1;
        public const ushort EM_X86_64 = 62, EM_AARCH64 = 183;
        private const int EhdrSize = 64, ShdrSize = 64, SymSize = 24, RelSize = 16, RelaSize = 24;
        private const int VerneedSize = 16, VernauxSize = 16, VerdefSize = 20, VerdauxSize = 8;

        public sealed class Section
        {
            public int Index;
            public string Name = "";
            public uint Type;
            public ulong Flags;
            public long Offset;
            public long Size;
            public uint Link;
            public uint Info;
            public long EntrySize;
            /// <summary>File offset of this section's header.</summary>
            public long HeaderOffset;
        }

        public sealed class Symbol
        {
            public int Index;
            public string Name = "";
            public byte Info;
            public ushort SectionIndex;
            /// <summary>False for an undefined symbol (st_shndx == SHN_UNDEF): one to be bound from another object.</summary>
            public bool Defined => SectionIndex != 0;
        }

        /// <summary>One Elf64_Verneed: the versions needed from one library.</summary>
        public sealed class VersionNeed
        {
            public string File = "";
            public List<VersionNeedEntry> Entries = new List<VersionNeedEntry>();
        }

        /// <summary>One Elf64_Vernaux.</summary>
        public sealed class VersionNeedEntry
        {
            public string Name = "";
            public ushort Flags;
            /// <summary>vna_other: the index .gnu.version uses for symbols of this version.</summary>
            public ushort Index;
            /// <summary>File offset of this entry (its vna_hash field).</summary>
            public long Offset;
            /// <summary>File offset of vna_flags, the field the fix edits.</summary>
            public long FlagsOffset => Offset + 4;
        }

        /// <summary>One Elf64_Verdef (with its first Verdaux, the version's own name).</summary>
        public sealed class VersionDefinition
        {
            public string Name = "";
            public ushort Flags;
            public ushort Index;
        }

        /// <summary>One relocation entry against .dynsym.</summary>
        public sealed class Relocation
        {
            public Section Section = null!;
            public int EntryIndex;
            /// <summary>File offset of the entry (its r_offset field; r_info follows at +8).</summary>
            public long Offset;
            public uint Symbol;
            public uint Type;
        }

        public string Path { get; }
        public byte[] Data { get; }
        public ushort Machine { get; }
        public IReadOnlyList<Section> Sections { get; }
        /// <summary>.dynsym, index 0 (the null symbol) included; empty when there is none.</summary>
        public IReadOnlyList<Symbol> DynamicSymbols { get; }
        /// <summary>.gnu.version, one entry per .dynsym entry; null when there is none.</summary>
        public ushort[]? VersionIndices { get; }
        public IReadOnlyList<VersionNeed> VersionNeeds { get; }
        public IReadOnlyList<VersionDefinition> VersionDefinitions { get; }
        /// <summary>Entries of the SHT_RELA/SHT_REL sections that use .dynsym.</summary>
        public IReadOnlyList<Relocation> Relocations { get; }

        public static ElfFile Read(string path)
        {
            byte[] data;
            try
            {
                data = File.ReadAllBytes(path);
            }
            catch (IOException e) when (!(e is FileNotFoundException || e is DirectoryNotFoundException))
            {
                throw new InvalidDataException($"{path}: cannot be read: {e.Message}", e);
            }
            return new ElfFile(path, data);
        }

        /// <summary>
        /// Whether the file starts like an ELF64 little-endian file for that
        /// machine (reads 20 bytes; never throws for a missing or odd file).
        /// </summary>
        public static bool IsElf64LittleEndian(string path, ushort machine)
        {
            try
            {
                var header = new byte[20];
                using (var stream = File.OpenRead(path))
                {
                    int read = 0, n;
                    while (read < header.Length && (n = stream.Read(header, read, header.Length - read)) > 0) read += n;
                    if (read < header.Length) return false;
                }
                return header[0] == 0x7f && header[1] == (byte)'E' && header[2] == (byte)'L' && header[3] == (byte)'F'
                    && header[4] == 2 && header[5] == 1 && (header[18] | header[19] << 8) == machine;
            }
            catch (IOException) { return false; }
            catch (UnauthorizedAccessException) { return false; }
        }

        public ElfFile(string path, byte[] data)
        {
            Path = path;
            Data = data;

            // e_ident
            if (data.Length < 4 || data[0] != 0x7f || data[1] != (byte)'E' || data[2] != (byte)'L' || data[3] != (byte)'F')
                throw Invalid("not an ELF file (no \\x7fELF magic at the start)");
            if (data.Length < 16)
                throw Invalid($"truncated: {data.Length} bytes, shorter than the ELF identification");
            if (data[4] != 2)
                throw Invalid(data[4] == 1 ? "32-bit ELF (ELFCLASS32); only ELF64 is supported" : $"unknown ELF class {data[4]}");
            if (data[5] != 1)
                throw Invalid(data[5] == 2
                    ? "big-endian ELF (ELFDATA2MSB); only little-endian is supported"
                    : $"unknown ELF data encoding {data[5]}");
            if (data[6] != 1)
                throw Invalid($"unknown ELF version {data[6]}");
            if (data.Length < EhdrSize)
                throw Invalid($"truncated: {data.Length} bytes, shorter than the 64-byte ELF header");

            Machine = U16(18);
            long shoff = FileOffset(U64(0x28), "the section header table offset e_shoff");
            int shentsize = U16(0x3A);
            long shnum = U16(0x3C);
            long shstrndx = U16(0x3E);
            if (shoff == 0)
                throw Invalid("has no section header table (e_shoff is 0); its version sections cannot be found");
            if (shentsize < ShdrSize)
                throw Invalid($"section header size e_shentsize is {shentsize}, expected {ShdrSize}");
            Check(shoff, ShdrSize, "the first section header");
            // Extended numbering: with 0xff00 sections or more, e_shnum is 0 and e_shstrndx
            // SHN_XINDEX, and the real values live in section header 0.
            if (shnum == 0) shnum = Count(U64(shoff + 32), "section count (sh_size of section 0)");
            if (shstrndx == 0xffff) shstrndx = U32(shoff + 40);
            Check(shoff, checked(shnum * shentsize), $"the section header table ({shnum} entries of {shentsize} bytes at 0x{shoff:x})");

            var sections = new List<Section>((int)shnum);
            for (int i = 0; i < shnum; i++)
            {
                long h = shoff + (long)i * shentsize;
                var s = new Section
                {
                    Index = i,
                    HeaderOffset = h,
                    Type = U32(h + 4),
                    Flags = U64(h + 8),
                    Offset = FileOffset(U64(h + 24), $"sh_offset of section {i}"),
                    Size = FileOffset(U64(h + 32), $"sh_size of section {i}"),
                    Link = U32(h + 40),
                    Info = U32(h + 44),
                    EntrySize = FileOffset(U64(h + 56), $"sh_entsize of section {i}"),
                };
                if (s.Type != SHT_NOBITS && s.Type != SHT_NULL)
                    Check(s.Offset, s.Size, $"section {i} (type 0x{s.Type:x}, {s.Size} bytes at 0x{s.Offset:x})");
                sections.Add(s);
            }
            if (shstrndx != 0)
            {
                if (shstrndx >= sections.Count)
                    throw Invalid($"section name table index e_shstrndx {shstrndx} is not below the section count {sections.Count}");
                var names = sections[(int)shstrndx];
                foreach (var s in sections)
                    s.Name = ReadString(names, U32(s.HeaderOffset), $"the name of section {s.Index}");
            }
            Sections = sections;

            // .dynsym and .gnu.version
            var dynsym = OnlySection(SHT_DYNSYM, "SHT_DYNSYM");
            var symbols = new List<Symbol>();
            if (dynsym != null)
            {
                CheckEntries(dynsym, SymSize);
                var strings = Linked(dynsym, SHT_STRTAB);
                long count = dynsym.Size / SymSize;
                for (int i = 0; i < count; i++)
                {
                    long e = dynsym.Offset + (long)i * SymSize;
                    symbols.Add(new Symbol
                    {
                        Index = i,
                        Name = ReadString(strings, U32(e), $"the name of {Describe(dynsym)} #{i}"),
                        Info = data[e + 4],
                        SectionIndex = U16(e + 6),
                    });
                }
            }
            DynamicSymbols = symbols;

            var versym = OnlySection(SHT_GNU_versym, "SHT_GNU_versym");
            if (versym != null)
            {
                CheckEntries(versym, 2);
                if (dynsym == null || versym.Link != dynsym.Index)
                    throw Invalid($"{Describe(versym)} does not link to the dynamic symbol table (sh_link {versym.Link})");
                if (versym.Size / 2 != symbols.Count)
                    throw Invalid($"{Describe(versym)} has {versym.Size / 2} entries but {Describe(dynsym)} has {symbols.Count} symbols");
                var indices = new ushort[symbols.Count];
                for (int i = 0; i < indices.Length; i++) indices[i] = U16(versym.Offset + 2L * i);
                VersionIndices = indices;
            }

            VersionNeeds = ReadVersionNeeds();
            VersionDefinitions = ReadVersionDefinitions();
            Relocations = ReadRelocations(dynsym, symbols.Count);
        }

        /// <summary>The .gnu.version index of dynamic symbol i, without the hidden bit (0x8000).</summary>
        public ushort VersionIndexOf(int symbol) =>
            VersionIndices == null ? VER_NDX_GLOBAL : (ushort)(VersionIndices[symbol] & 0x7fff);

        /// <summary>Dynamic symbols used by at least one relocation, each with a description of the first such relocation.</summary>
        public Dictionary<int, string> ReferencedSymbols()
        {
            var used = new Dictionary<int, string>();
            foreach (var r in Relocations)
            {
                if (r.Symbol != 0 && !used.ContainsKey((int)r.Symbol))
                    used[(int)r.Symbol] = $"#{r.EntryIndex} of {Describe(r.Section)} (type {r.Type}, at file offset 0x{r.Offset:x})";
            }
            return used;
        }

        private List<VersionNeed> ReadVersionNeeds()
        {
            var result = new List<VersionNeed>();
            var section = OnlySection(SHT_GNU_verneed, "SHT_GNU_verneed");
            if (section == null) return result;
            var strings = Linked(section, SHT_STRTAB);
            long position = section.Offset;
            for (uint i = 0; i < section.Info; i++)
            {
                string where = $"{Describe(section)} entry {i} at 0x{position:x}";
                CheckWithin(position, VerneedSize, section, where);
                ushort vnVersion = U16(position);
                if (vnVersion != 1)
                    throw Invalid($"{where} has vn_version {vnVersion}, expected 1");
                ushort count = U16(position + 2);
                var need = new VersionNeed { File = ReadString(strings, U32(position + 4), $"vn_file of {where}") };
                long aux = position + U32(position + 8);
                for (int j = 0; j < count; j++)
                {
                    string auxWhere = $"{Describe(section)} entry {i} auxiliary {j} at 0x{aux:x}";
                    CheckWithin(aux, VernauxSize, section, auxWhere);
                    need.Entries.Add(new VersionNeedEntry
                    {
                        Offset = aux,
                        Flags = U16(aux + 4),
                        Index = U16(aux + 6),
                        Name = ReadString(strings, U32(aux + 8), $"vna_name of {auxWhere}"),
                    });
                    uint next = U32(aux + 12);
                    if (next == 0 && j != count - 1)
                        throw Invalid($"{auxWhere} ends the chain (vna_next 0) but vn_cnt is {count}");
                    aux += next;
                }
                result.Add(need);
                uint vnNext = U32(position + 12);
                if (vnNext == 0 && i != section.Info - 1)
                    throw Invalid($"{where} ends the chain (vn_next 0) but sh_info says {section.Info} entries");
                position += vnNext;
            }
            return result;
        }

        private List<VersionDefinition> ReadVersionDefinitions()
        {
            var result = new List<VersionDefinition>();
            var section = OnlySection(SHT_GNU_verdef, "SHT_GNU_verdef");
            if (section == null) return result;
            var strings = Linked(section, SHT_STRTAB);
            long position = section.Offset;
            for (uint i = 0; i < section.Info; i++)
            {
                string where = $"{Describe(section)} entry {i} at 0x{position:x}";
                CheckWithin(position, VerdefSize, section, where);
                ushort vdVersion = U16(position);
                if (vdVersion != 1)
                    throw Invalid($"{where} has vd_version {vdVersion}, expected 1");
                ushort count = U16(position + 6);
                if (count == 0)
                    throw Invalid($"{where} has no name (vd_cnt 0)");
                long aux = position + U32(position + 12);
                CheckWithin(aux, VerdauxSize, section, $"the first auxiliary of {where}");
                result.Add(new VersionDefinition
                {
                    Flags = U16(position + 2),
                    Index = U16(position + 4),
                    Name = ReadString(strings, U32(aux), $"vda_name of {where}"),
                });
                uint next = U32(position + 16);
                if (next == 0 && i != section.Info - 1)
                    throw Invalid($"{where} ends the chain (vd_next 0) but sh_info says {section.Info} entries");
                position += next;
            }
            return result;
        }

        // Only relocation sections that use .dynsym matter to the dynamic loader (sh_link 0 is
        // taken to mean .dynsym too, to err on the safe side); SHT_RELR has no symbols.
        private List<Relocation> ReadRelocations(Section? dynsym, int symbolCount)
        {
            var result = new List<Relocation>();
            foreach (var s in Sections)
            {
                if (s.Type != SHT_RELA && s.Type != SHT_REL) continue;
                if (s.Link != 0 && (dynsym == null || s.Link != dynsym.Index)) continue;
                int size = s.Type == SHT_RELA ? RelaSize : RelSize;
                CheckEntries(s, size);
                long count = s.Size / size;
                for (int i = 0; i < count; i++)
                {
                    long e = s.Offset + (long)i * size;
                    ulong info = U64(e + 8);
                    uint symbol = (uint)(info >> 32);
                    if (symbol >= symbolCount && symbol != 0)
                        throw Invalid(
                            $"relocation #{i} of {Describe(s)} uses symbol {symbol}, but the dynamic symbol table has {symbolCount}");
                    result.Add(new Relocation { Section = s, EntryIndex = i, Offset = e, Symbol = symbol, Type = (uint)info });
                }
            }
            return result;
        }

        // ---- helpers -------------------------------------------------------------------------

        private InvalidDataException Invalid(string problem) => new InvalidDataException($"{Path}: {problem}");

        private static string Describe(Section s) => s.Name.Length > 0 ? s.Name : $"section {s.Index}";

        private void Check(long offset, long size, string what)
        {
            if (offset < 0 || size < 0 || offset > Data.Length || size > Data.Length - offset)
                throw Invalid($"{what} lies outside the file ({Data.Length} bytes): truncated or corrupt");
        }

        private void CheckWithin(long offset, long size, Section section, string what)
        {
            if (offset < section.Offset || size > section.Size || offset > section.Offset + section.Size - size)
                throw Invalid($"{what} lies outside {Describe(section)} (0x{section.Offset:x}..0x{section.Offset + section.Size:x})");
        }

        private void CheckEntries(Section s, int entrySize)
        {
            if (s.EntrySize != entrySize)
                throw Invalid($"{Describe(s)} has entry size {s.EntrySize}, expected {entrySize}");
            if (s.Size % entrySize != 0)
                throw Invalid($"{Describe(s)} size {s.Size} is not a multiple of its entry size {entrySize}");
        }

        private Section? OnlySection(uint type, string typeName)
        {
            Section? found = null;
            foreach (var s in Sections)
            {
                if (s.Type != type) continue;
                if (found != null)
                    throw Invalid($"has more than one {typeName} section ({Describe(found)}, {Describe(s)})");
                found = s;
            }
            return found;
        }

        private Section Linked(Section s, uint type)
        {
            if (s.Link == 0 || s.Link >= Sections.Count || Sections[(int)s.Link].Type != type)
                throw Invalid($"{Describe(s)} links to section {s.Link}, which is not a string table");
            return Sections[(int)s.Link];
        }

        private string ReadString(Section table, uint offset, string what)
        {
            if (table.Type != SHT_STRTAB)
                throw Invalid($"{what}: section {Describe(table)} is not a string table");
            if (offset >= table.Size)
                throw Invalid($"{what}: string offset {offset} is outside {Describe(table)} ({table.Size} bytes)");
            int start = checked((int)(table.Offset + offset));
            int end = Array.IndexOf(Data, (byte)0, start, checked((int)(table.Size - offset)));
            if (end < 0)
                throw Invalid($"{what}: the string at offset {offset} in {Describe(table)} is not terminated");
            return Encoding.UTF8.GetString(Data, start, end - start);
        }

        private long FileOffset(ulong value, string what)
        {
            if (value > (ulong)Data.Length)
                throw Invalid($"{what} (0x{value:x}) lies outside the file ({Data.Length} bytes): truncated or corrupt");
            return (long)value;
        }

        private long Count(ulong value, string what)
        {
            if (value > 0xffffffUL)
                throw Invalid($"{what} is implausibly large ({value})");
            return (long)value;
        }

        private ushort U16(long offset)
        {
            Check(offset, 2, $"a 2-byte field at 0x{offset:x}");
            return (ushort)(Data[offset] | Data[offset + 1] << 8);
        }

        private uint U32(long offset)
        {
            Check(offset, 4, $"a 4-byte field at 0x{offset:x}");
            return (uint)(Data[offset] | Data[offset + 1] << 8 | Data[offset + 2] << 16 | Data[offset + 3] << 24);
        }

        private ulong U64(long offset)
        {
            Check(offset, 8, $"an 8-byte field at 0x{offset:x}");
            return U32(offset) | (ulong)U32(offset + 4) << 32;
        }

        internal static void WriteU16(byte[] data, long offset, ushort value)
        {
            data[offset] = (byte)value;
            data[offset + 1] = (byte)(value >> 8);
        }
    }

#if !LIBTORCHSHARP_FIX_NO_TASK
    /// <summary>
    /// MSBuild task: on Linux, when the system libstdc++ lacks GLIBCXX_3.4.32 (or Force is set),
    /// makes that requirement weak in each of Files. Logs a high-importance message per patched
    /// file, nothing visible otherwise, and a build error (not an exception) for a file it must
    /// refuse or cannot read.
    /// </summary>
    public sealed class PatchLibTorchSharp : Microsoft.Build.Utilities.Task
    {
        /// <summary>The libLibTorchSharp.so copies to patch (in an output or publish directory, never the NuGet cache).</summary>
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        /// <summary>Patch even when this machine's libstdc++ has the version (for output meant for other machines).</summary>
        public bool Force { get; set; }

        /// <summary>The files this run patched.</summary>
        [Microsoft.Build.Framework.Output]
        public Microsoft.Build.Framework.ITaskItem[] PatchedFiles { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        public override bool Execute()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "LibTorchSharpFix: not Linux, nothing to do.");
                return true;
            }

            string reason;
            if (Force)
            {
                reason = "LibTorchSharpFixAlways is set";
            }
            else
            {
                var system = LibTorchSharpFix.FindSystemLibStdCxx();
                if (system == null)
                {
                    // Weakening is harmless where the version exists, and the library cannot load
                    // where it does not: patch when we cannot tell.
                    reason = $"no system {LibTorchSharpFix.LibStdCxx} found to check";
                }
                else
                {
                    try
                    {
                        if (LibTorchSharpFix.DefinesVersion(system, LibTorchSharpFix.RequiredVersion))
                        {
                            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low,
                                $"LibTorchSharpFix: {system} defines {LibTorchSharpFix.RequiredVersion}; nothing to patch.");
                            return true;
                        }
                        reason = $"{system} lacks {LibTorchSharpFix.RequiredVersion}";
                    }
                    catch (InvalidDataException e)
                    {
                        Log.LogWarning(
                            $"LibTorchSharpFix: cannot tell whether the system libstdc++ defines {LibTorchSharpFix.RequiredVersion}" +
                            $" ({e.Message}); patching anyway.");
                        reason = $"{system} could not be read";
                    }
                }
            }

            var patched = new List<Microsoft.Build.Framework.ITaskItem>();
            foreach (var item in Files)
            {
                var path = item.GetMetadata("FullPath");
                if (string.IsNullOrEmpty(path)) path = item.ItemSpec;
                if (!File.Exists(path))
                {
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, $"LibTorchSharpFix: {path} does not exist; skipped.");
                    continue;
                }
                try
                {
                    var result = LibTorchSharpFix.MakeVersionWeak(path, LibTorchSharpFix.LibStdCxx, LibTorchSharpFix.RequiredVersion);
                    if (result == PatchResult.Patched)
                    {
                        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                            $"LibTorchSharpFix: made {LibTorchSharpFix.RequiredVersion} of {LibTorchSharpFix.LibStdCxx}" +
                            $" a weak requirement in {path} ({reason}).");
                        patched.Add(item);
                    }
                    else
                    {
                        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, $"LibTorchSharpFix: {path}: {result}.");
                    }
                }
                catch (InvalidDataException e)
                {
                    Log.LogError($"LibTorchSharpFix: {e.Message}");
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    Log.LogError($"LibTorchSharpFix: {path}: cannot patch: {e.Message}");
                }
            }
            PatchedFiles = patched.ToArray();
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
