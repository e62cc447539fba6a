using System.Text.Json;
using System.Text.Json.Serialization;
using MessagePack;

namespace MtlAgent.Agent.Checkpoints;

/// <summary>File names and encodings of a checkpoint directory (README.md in this folder describes the format).</summary>
public static class CheckpointFormat
{
    /// <summary>Schema written by this build.</summary>
    public const int Schema = 2;

    /// <summary>Schema 1 (libtorch-1.13 builds): still evaluated and replayed, not resumed.</summary>
    public const int LegacySchema = 1;

    /// <summary>The readable manifest, written last: a directory without it is not a checkpoint.</summary>
    public const string Manifest = "manifest.json";
    /// <summary>The run's resolved configuration.</summary>
    public const string Config = "config.yaml";
    /// <summary>Online and target weights and the PopArt statistics (safetensors).</summary>
    public const string Model = "model.safetensors";
    /// <summary>Optimizer state (safetensors).</summary>
    public const string Optimizer = "optimizer.safetensors";
    /// <summary>Counters, RNG, environment and monitor states (MessagePack, LZ4).</summary>
    public const string Trainer = "trainer.msgpack";
    /// <summary>Replay of game <paramref name="game"/> (MessagePack, LZ4).</summary>
    public static string Replay(int game) => $"replay-{game}.msgpack";

    /// <summary>Schema 1's state file (counters, RNG, environments, PopArt, monitor, config as JSON).</summary>
    public const string LegacyState = "state.json";

    /// <summary>Value of the manifest's <c>format</c> field.</summary>
    public const string FormatName = "mtlagent-checkpoint";

    /// <summary>PopArt moments in <see cref="Model"/>: F64 tensors of one entry per game.</summary>
    public const string PopArtMu = "popart.mu", PopArtNu = "popart.nu";

    /// <summary>Name prefixes of the two networks in <see cref="Model"/>.</summary>
    public const string OnlinePrefix = "online.", TargetPrefix = "target.";

    /// <summary>
    /// MessagePack with LZ4 block arrays (replays of sparse boards shrink several-fold) and the untrusted-data
    /// safeguards, since a checkpoint may come from anywhere.
    /// </summary>
    public static readonly MessagePackSerializerOptions MessagePack = MessagePackSerializerOptions.Standard
        .WithCompression(MessagePackCompression.Lz4BlockArray)
        .WithSecurity(MessagePackSecurity.UntrustedData);

    /// <summary>JSON of the manifest: snake_case, indented.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
