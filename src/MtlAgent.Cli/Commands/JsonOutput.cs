using System.Text.Json;
using MtlAgent.Agent.IO;

namespace MtlAgent.Cli.Commands;

/// <summary>
/// Writes a command's machine-readable result through <see cref="Durable.WriteAllText"/> (temporary name, fsync, rename).
/// </summary>
public static class JsonOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Serialises <paramref name="document"/> (property order as declared) to <paramref name="path"/>.</summary>
    public static void Write(string path, object document)
    {
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        if (dir is not null) Directory.CreateDirectory(dir);
        Durable.WriteAllText(full, JsonSerializer.Serialize(document, Indented) + "\n");
    }
}
