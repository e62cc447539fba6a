using System.Text.Json;
using System.Text.Json.Serialization;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Learning;
using MtlAgent.Agent.Monitoring;
using MtlAgent.Agent.Training;

namespace MtlAgent.Agent.Checkpoints;

/// <summary>Everything in <c>state.json</c> besides tensors: counters, RNG states, environments, statistics, config.</summary>
public sealed record TrainerState
{
    /// <summary>Layout version of this file; readers reject versions they do not know.</summary>
    public int SchemaVersion { get; init; } = CheckpointFiles.SchemaVersion;
    /// <summary>Env ids in head order.</summary>
    public required IReadOnlyList<string> Games { get; init; }
    /// <summary>Frames each game has acted.</summary>
    public long FramesPerGame { get; init; }
    /// <summary>Gradient updates done.</summary>
    public long Updates { get; init; }
    /// <summary>Round-robin steps done.</summary>
    public long Steps { get; init; }
    /// <summary>Exploration rate at the time of the checkpoint (informative; it follows from the frames).</summary>
    public double Epsilon { get; init; }
    /// <summary>State of the acting random stream.</summary>
    public required IReadOnlyList<ulong> ActingRng { get; init; }
    /// <summary>State of the replay-sampling random stream.</summary>
    public required IReadOnlyList<ulong> ReplayRng { get; init; }
    /// <summary>Each environment copy's complete state (base64 of <c>IEnv.GetState</c>), row g * EnvsPerGame + e.</summary>
    public required IReadOnlyList<string> EnvStates { get; init; }
    /// <summary>Return so far of each environment copy's running episode.</summary>
    public required IReadOnlyList<double> EpisodeReturns { get; init; }
    /// <summary>PopArt moments per game (real units).</summary>
    public required IReadOnlyList<PopArtMoments> PopArt { get; init; }
    /// <summary>Worst-case monitor state per game.</summary>
    public required IReadOnlyList<GameMonitorState> Monitor { get; init; }
    /// <summary>Whether replay-&lt;game&gt;.bin files were written (exact resume).</summary>
    public bool ReplaySaved { get; init; }
    /// <summary>The configuration the run used.</summary>
    public required TrainConfig Config { get; init; }
}

/// <summary>Names and JSON handling shared by checkpoint writers and readers.</summary>
public static class CheckpointFiles
{
    /// <summary>Current <see cref="TrainerState.SchemaVersion"/>.</summary>
    public const int SchemaVersion = 1;
    /// <summary>Online and target weights plus PopArt statistics.</summary>
    public const string Model = "model.safetensors";
    /// <summary>Optimizer state.</summary>
    public const string Optimizer = "optimizer.safetensors";
    /// <summary>Counters, RNG states, environments, monitor, config.</summary>
    public const string State = "state.json";
    /// <summary>A run directory's pointer to its newest checkpoint (text: the subdirectory name).</summary>
    public const string Latest = "latest";

    /// <summary>Replay file of game <paramref name="game"/>.</summary>
    public static string Replay(int game) => $"replay-{game}.bin";

    /// <summary>JSON options: indented, exact doubles, NaN allowed.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Runs <paramref name="write"/> on a temporary file and renames it over <paramref name="path"/>.</summary>
    public static void WriteAtomically(string path, Action<Stream> write)
    {
        string tmp = path + ".tmp";
        using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            write(stream);
            stream.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Reads and validates state.json in <paramref name="directory"/>.</summary>
    public static TrainerState ReadState(string directory)
    {
        string path = Path.Combine(directory, State);
        if (!File.Exists(path)) throw new CheckpointException($"checkpoint '{directory}' has no {State}");
        TrainerState? state;
        try { state = JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), Json); }
        catch (Exception e) when (e is JsonException or NotSupportedException) { throw new CheckpointException($"{path} is corrupt: {e.Message}", e); }
        if (state is null) throw new CheckpointException($"{path} is empty");
        if (state.SchemaVersion != SchemaVersion) throw new CheckpointException($"{path} has schema version {state.SchemaVersion}; this build reads version {SchemaVersion}");
        return state;
    }

    /// <summary>
    /// The checkpoint directory meant by <paramref name="path"/>: itself if it holds state.json, else the subdirectory named
    /// by its <c>latest</c> file.
    /// </summary>
    public static string Resolve(string path)
    {
        if (File.Exists(Path.Combine(path, State))) return path;
        string latest = Path.Combine(path, Latest);
        if (File.Exists(latest))
        {
            string name = File.ReadAllText(latest).Trim();
            string dir = Path.Combine(path, name);
            if (name.Length == 0 || !Directory.Exists(dir)) throw new CheckpointException($"{latest} names '{name}', which is not a checkpoint directory in {path}");
            return dir;
        }
        if (!Directory.Exists(path)) throw new CheckpointException($"checkpoint path '{path}' does not exist");
        throw new CheckpointException($"'{path}' is neither a checkpoint (no {State}) nor a run directory (no {Latest} file)");
    }
}
