using System.Security.Cryptography;
using System.Text.Json;

namespace MtlAgent.Agent.Checkpoints;

/// <summary>One file of a checkpoint, as its manifest lists it.</summary>
/// <param name="Bytes">Length of the file.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of its contents.</param>
public sealed record CheckpointFileEntry(long Bytes, string Sha256);

/// <summary>
/// <c>manifest.json</c>: what a person (or a tool) needs to know about a checkpoint without loading it, and the
/// length and SHA-256 of every other file, so a truncated or altered file is caught before it is decoded.
/// </summary>
public sealed record CheckpointManifest
{
    /// <summary>Always <see cref="CheckpointFormat.FormatName"/>.</summary>
    public string Format { get; init; } = CheckpointFormat.FormatName;
    /// <summary>Layout version of the directory.</summary>
    public int Schema { get; init; } = CheckpointFormat.Schema;
    /// <summary>Frames each game had acted.</summary>
    public long FramesPerGame { get; init; }
    /// <summary>Learner updates done.</summary>
    public long Updates { get; init; }
    /// <summary>Env ids, in head order.</summary>
    public required IReadOnlyList<string> Games { get; init; }
    /// <summary>When it was written (UTC, ISO 8601).</summary>
    public string? WrittenUtc { get; init; }
    /// <summary>Every other file of the checkpoint by name.</summary>
    public required IReadOnlyDictionary<string, CheckpointFileEntry> Files { get; init; }

    /// <summary>Describes <paramref name="names"/> (files in <paramref name="directory"/>) and writes the manifest there.</summary>
    public static CheckpointManifest Write(string directory, long framesPerGame, long updates, IReadOnlyList<string> games,
        IEnumerable<string> names)
    {
        var manifest = new CheckpointManifest
        {
            FramesPerGame = framesPerGame,
            Updates = updates,
            Games = games,
            WrittenUtc = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            Files = names.ToDictionary(n => n, n => Describe(Path.Combine(directory, n))),
        };
        File.WriteAllText(Path.Combine(directory, CheckpointFormat.Manifest),
            JsonSerializer.Serialize(manifest, CheckpointFormat.Json) + "\n");
        return manifest;
    }

    /// <summary>
    /// Reads the manifest of <paramref name="directory"/>; throws
    /// <see cref="CheckpointException"/> when it is missing, corrupt or of another format.
    /// </summary>
    public static CheckpointManifest Read(string directory)
    {
        string path = Path.Combine(directory, CheckpointFormat.Manifest);
        if (!File.Exists(path)) throw new CheckpointException($"checkpoint '{directory}' has no {CheckpointFormat.Manifest}");
        CheckpointManifest? manifest;
        try { manifest = JsonSerializer.Deserialize<CheckpointManifest>(File.ReadAllText(path), CheckpointFormat.Json); }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw new CheckpointException($"{path} is corrupt: {e.Message}", e);
        }
        if (manifest is null || manifest.Format != CheckpointFormat.FormatName || manifest.Games is null || manifest.Files is null)
            throw new CheckpointException($"{path} is not a {CheckpointFormat.FormatName} manifest");
        return manifest;
    }

    /// <summary>
    /// Checks that <paramref name="name"/> exists in <paramref name="directory"/> with the length and SHA-256 listed here;
    /// throws <see cref="CheckpointException"/> naming the file and what differs.
    /// </summary>
    public void Verify(string directory, string name)
    {
        string path = Path.Combine(directory, name);
        if (!Files.TryGetValue(name, out var expected))
            throw new CheckpointException($"checkpoint '{directory}': {CheckpointFormat.Manifest} does not list {name}");
        if (!File.Exists(path)) throw new CheckpointException($"checkpoint file {path} is missing");
        long length = new FileInfo(path).Length;
        if (length != expected.Bytes)
            throw new CheckpointException($"{path} is {length} bytes, the manifest says {expected.Bytes} (truncated or replaced)");
        if (Hash(path) != expected.Sha256) throw new CheckpointException($"{path} is corrupt: its SHA-256 differs from the manifest's");
    }

    /// <summary>Verifies every file the manifest lists.</summary>
    public void VerifyAll(string directory)
    {
        foreach (var name in Files.Keys) Verify(directory, name);
    }

    private static CheckpointFileEntry Describe(string path) => new(new FileInfo(path).Length, Hash(path));

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
