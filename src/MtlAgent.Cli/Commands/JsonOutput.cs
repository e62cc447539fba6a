using System.Text.Json;

namespace MtlAgent.Cli.Commands;

/// <summary>Writes a command's machine-readable result: to a temporary name, then renamed into place.</summary>
public static class JsonOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Serialises <paramref name="document"/> (property order as declared) to <paramref name="path"/>.</summary>
    public static void Write(string path, object document)
    {
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        if (dir is not null) Directory.CreateDirectory(dir);
        string temp = full + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(document, Indented));
        File.Move(temp, full, overwrite: true);
    }
}
