using System.Text.Json;
using System.Text.Json.Serialization;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Learning;

namespace MtlAgent.Agent.Checkpoints;

/// <summary>
/// What schema 1's <c>state.json</c> (libtorch-1.13 builds) says that evaluating and replaying need: games, frames,
/// PopArt moments and the configuration. Schema-1 checkpoints are not resumed.
/// </summary>
public sealed record SchemaOneState
{
    /// <summary>Layout version (1).</summary>
    public int SchemaVersion { get; init; }
    /// <summary>Env ids in head order.</summary>
    public required IReadOnlyList<string> Games { get; init; }
    /// <summary>Frames each game had acted.</summary>
    public long FramesPerGame { get; init; }
    /// <summary>PopArt moments per game (real units).</summary>
    public required IReadOnlyList<PopArtMoments> PopArt { get; init; }
    /// <summary>The configuration the run used.</summary>
    public required TrainConfig Config { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new ConfigChoiceJsonConverter() },
    };

    /// <summary>Reads and checks <c>state.json</c> in <paramref name="directory"/>.</summary>
    public static SchemaOneState Read(string directory)
    {
        string path = Path.Combine(directory, CheckpointFormat.LegacyState);
        SchemaOneState? state;
        try { state = JsonSerializer.Deserialize<SchemaOneState>(File.ReadAllText(path), Json); }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw new CheckpointException($"{path} is corrupt: {e.Message}", e);
        }
        if (state is null) throw new CheckpointException($"{path} is empty");
        if (state.SchemaVersion != CheckpointFormat.LegacySchema)
            throw new CheckpointException(
                $"{path} has schema version {state.SchemaVersion}; this build reads schema " +
                $"{CheckpointFormat.LegacySchema} state files and schema {CheckpointFormat.Schema} manifests");
        try { ConfigValidator.Validate(state.Config); }
        catch (ConfigException e) { throw new CheckpointException($"{path} holds an invalid configuration: {e.Message}", e); }
        return state;
    }
}
