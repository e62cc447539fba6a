using MtlAgent.Agent.Acting;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Engine;
using MtlAgent.Agent.Learning;
using MtlAgent.Agent.Model;
using MtlAgent.Envs;
using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Checkpoints;

/// <summary>
/// A checkpoint loaded to act (<c>mtl eval</c>, <c>mtl replay</c>): its configuration, games and frames, and its online
/// network as a <see cref="QPolicy"/> on the CPU, whatever device wrote it. Schemas 1 and 2.
/// </summary>
public sealed class CheckpointPolicy : IDisposable
{
    private readonly MultiTaskQNetwork _network;

    private CheckpointPolicy(string directory, TrainConfig config, long framesPerGame, MultiTaskQNetwork network, QPolicy policy)
    {
        Directory = directory;
        Config = config;
        FramesPerGame = framesPerGame;
        _network = network;
        Policy = policy;
    }

    /// <summary>The checkpoint directory actually loaded (a run directory resolves to its latest checkpoint).</summary>
    public string Directory { get; }

    /// <summary>The configuration of the run.</summary>
    public TrainConfig Config { get; }

    /// <summary>Env ids in head order.</summary>
    public IReadOnlyList<string> Games => Config.Games;

    /// <summary>Frames each game had acted when the checkpoint was written.</summary>
    public long FramesPerGame { get; }

    /// <summary>The online network as a policy, on the CPU.</summary>
    public QPolicy Policy { get; }

    /// <summary>
    /// Loads <paramref name="path"/>: a checkpoint directory, or a run directory whose <c>latest</c> file names its newest
    /// checkpoint. Throws <see cref="CheckpointException"/> for missing, truncated or corrupt files and mismatched shapes.
    /// </summary>
    public static CheckpointPolicy Load(string path)
    {
        string directory = CheckpointStore.Resolve(path);
        TorchRuntime.Initialize();
        var (config, frames) = ReadDescription(directory);
        var network = Network(config, directory);
        try
        {
            using var scope = NewDisposeScope();
            string modelPath = Path.Combine(directory, CheckpointFormat.Model);
            var tensors = TensorFile.Read(modelPath);
            TensorFile.CopyInto(network, CheckpointFormat.OnlinePrefix, tensors, modelPath, network.Design);
            var units = new PopArtStatistics(config.PopArt, network.Games);
            units.SetState(TrainerCheckpoint.ReadPopArt(tensors, network.Games, modelPath));
            network.eval();
            return new CheckpointPolicy(directory, config, frames, network, new QPolicy(network, config.Games, units, CPU));
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    // The network of the checkpoint's configuration and games (fresh weights, on the CPU); an unknown game is refused by name.
    internal static MultiTaskQNetwork Network(TrainConfig config, string directory)
    {
        EnvSpec[] specs;
        try { specs = config.Games.Select(EnvRegistry.Spec).ToArray(); }
        catch (ArgumentException e) { throw new CheckpointException($"checkpoint '{directory}' names an unknown game: {e.Message}", e); }
        return new MultiTaskQNetwork(config.Network, specs.Select(s => s.Channels).ToArray(),
            specs.Select(s => s.ActionCount).ToArray());
    }

    // Schema 2: the manifest (its model and config files verified) and config.yaml; schema 1: state.json.
    internal static (TrainConfig Config, long Frames) ReadDescription(string directory)
    {
        if (!File.Exists(Path.Combine(directory, CheckpointFormat.Manifest)))
        {
            var legacy = SchemaOneState.Read(directory);
            if (!legacy.Config.Games.SequenceEqual(legacy.Games))
                throw new CheckpointException(
                    $"checkpoint '{directory}': state.json lists games [{string.Join(", ", legacy.Games)}] but its config has [" +
                    $"{string.Join(", ", legacy.Config.Games)}]");
            return (legacy.Config, legacy.FramesPerGame);
        }
        var manifest = CheckpointManifest.Read(directory);
        if (manifest.Schema != CheckpointFormat.Schema)
            throw new CheckpointException(
                $"checkpoint '{directory}' has schema {manifest.Schema}; this build reads schemas " +
                $"{CheckpointFormat.LegacySchema} and {CheckpointFormat.Schema}");
        manifest.Verify(directory, CheckpointFormat.Config);
        manifest.Verify(directory, CheckpointFormat.Model);
        var config = TrainerCheckpoint.ReadConfig(directory);
        if (!config.Games.SequenceEqual(manifest.Games))
            throw new CheckpointException(
                $"checkpoint '{directory}': the manifest lists games [{string.Join(", ", manifest.Games)}] but config.yaml has [" +
                $"{string.Join(", ", config.Games)}]");
        return (config, manifest.FramesPerGame);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Policy.Dispose();
        _network.Dispose();
    }
}
