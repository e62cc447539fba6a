using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Engine;
using MtlAgent.Agent.Learning;
using MtlAgent.Agent.Model;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Checkpoints;

/// <summary>
/// A schema-2 checkpoint's optimizer state read back for inspection (<c>mtl inspect</c>): the network and optimizer its
/// configuration builds, on the CPU, with the saved state loaded and checked, and the regime it steps in.
/// </summary>
public sealed record CheckpointOptimizer(string Directory, TrainConfig Config, long FramesPerGame, OptimizerRegime Regime)
{
    /// <summary>The learning rate the run stepped with (<see cref="Optimizers.StepSize"/>).</summary>
    public double StepSize => Optimizers.StepSize(Config, Config.Games.Count);

    /// <summary>The games whose losses one update averaged (<see cref="Optimizers.AveragedGames"/>).</summary>
    public int AveragedGames => Optimizers.AveragedGames(Config, Config.Games.Count);

    /// <summary>
    /// Reads <paramref name="path"/> (a checkpoint, or a run directory's latest). Throws <see cref="CheckpointException"/>
    /// for a missing, corrupt or mismatched optimizer state, or a schema-1 checkpoint (its optimizer state is not kept).
    /// </summary>
    public static CheckpointOptimizer Load(string path)
    {
        string directory = CheckpointStore.Resolve(path);
        if (!File.Exists(Path.Combine(directory, CheckpointFormat.Manifest)))
            throw new CheckpointException($"checkpoint '{directory}' has schema {CheckpointFormat.LegacySchema}, whose optimizer " +
                $"state this build does not read (schema {CheckpointFormat.Schema} only)");
        TorchRuntime.Initialize();
        var (config, frames) = CheckpointPolicy.ReadDescription(directory);
        CheckpointManifest.Read(directory).Verify(directory, CheckpointFormat.Optimizer);

        using var scope = NewDisposeScope();
        using var network = CheckpointPolicy.Network(config, directory);
        using var parameters = new FlatParameters(network);
        using var optimizer = Optimizers.Create(config, network.Games, parameters, network.SharedParameters());
        TrainerCheckpoint.LoadOptimizer(optimizer, Path.Combine(directory, CheckpointFormat.Optimizer), config);
        return new CheckpointOptimizer(directory, config, frames, OptimizerRegime.Of(optimizer, parameters));
    }
}
