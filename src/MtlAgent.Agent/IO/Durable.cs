using System.Runtime.InteropServices;
using System.Text;

namespace MtlAgent.Agent.IO;

/// <summary>
/// The one crash-safe writer: data reaches the disk before a rename publishes it, so readers (and a restart after a
/// crash or kill -9) see the old file or the new one, never a mix. Checkpoints, metrics, configs and JSON outputs all
/// go through it.
/// </summary>
public static partial class Durable
{
    /// <summary>Suffix of files being written; a leftover one is an interrupted write (see <see cref="IsTemporary"/>).</summary>
    public const string TempSuffix = ".tmp";

    /// <summary>Writes <paramref name="path"/> via a temporary name, fsync and rename.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var temp = full + TempSuffix;
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
        SyncDirectory(Path.GetDirectoryName(full)!);
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 through <see cref="Write"/>.</summary>
    public static void WriteAllText(string path, string text) => Write(path, s => s.Write(Encoding.UTF8.GetBytes(text)));

    /// <summary>Whether <paramref name="path"/> is a leftover of an interrupted <see cref="Write"/>.</summary>
    public static bool IsTemporary(string path) => path.EndsWith(TempSuffix, StringComparison.Ordinal);

    /// <summary>Flushes every file under <paramref name="directory"/> and the directories themselves to disk.</summary>
    public static void SyncTree(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
            stream.Flush(flushToDisk: true);
        }
        foreach (var dir in Directory.EnumerateDirectories(directory, "*", SearchOption.AllDirectories)) SyncDirectory(dir);
        SyncDirectory(directory);
    }

    /// <summary>fsync of a directory, so renames and new entries in it survive a power cut (no-op off Unix).</summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        var fd = open(directory, 0 /* O_RDONLY */);
        if (fd < 0) throw new IOException($"cannot open directory '{directory}' to sync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (fsync(fd) != 0) throw new IOException($"fsync of directory '{directory}' failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int close(int fd);
}
