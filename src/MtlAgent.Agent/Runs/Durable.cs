using System.Runtime.InteropServices;
using System.Text;

namespace MtlAgent.Agent.Runs;

/// <summary>Crash-safe file operations: data reaches the disk before a rename publishes it.</summary>
public static partial class Durable
{
    /// <summary>Writes <paramref name="path"/> via a temporary name, fsync and rename, so readers see the old or the new file, never a mix.</summary>
    public static void WriteAllText(string path, string text)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            stream.Write(Encoding.UTF8.GetBytes(text));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

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
