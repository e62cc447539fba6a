using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Engine;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Learning;

/// <summary>Builds the configured optimizer.</summary>
public static class Optimizers
{
    /// <summary>
    /// Centered RMSprop as in the MinAtar reference (eps outside the square root), or Adam, at <see cref="StepSize"/>: one,
    /// or one per game (<see cref="PerGameOptimizer"/>) with <c>learner.optimizer_state: per_game</c>.
    /// <paramref name="shared"/>: the parameters every game's loss reaches (<see cref="Model.MultiTaskQNetwork.SharedParameters"/>);
    /// used by <c>learner.learning_rate_scaling: per_game_parameters</c> only.
    /// </summary>
    public static IFlatOptimizer Create(TrainConfig config, int games, FlatParameters parameters,
        IReadOnlyCollection<TorchSharp.Modules.Parameter>? shared = null)
    {
        using var scale = PerGameParameterScale(config, games, parameters, shared);
        return config.Learner.OptimizerState == OptimizerState.PerGame && games > 1
            ? new PerGameOptimizer(Enumerable.Range(0, games).Select(_ => CreateOne(config, games, parameters, scale)).ToArray())
            : CreateOne(config, games, parameters, scale);
    }

    private static IFlatOptimizer CreateOne(TrainConfig config, int games, FlatParameters parameters, Tensor? scale)
    {
        var learner = config.Learner;
        double lr = StepSize(config, games);
        return learner.Optimizer switch
        {
            OptimizerKind.RmsProp => new FlatRmsProp(parameters, lr: lr, alpha: learner.RmsAlpha, eps: learner.RmsEps,
                centered: learner.RmsCentered, lrScale: scale),
            OptimizerKind.Adam => new FlatAdam(parameters, lr: lr, eps: learner.AdamEps, lrScale: scale),
            _ => throw new ArgumentOutOfRangeException(nameof(config), learner.Optimizer, null),
        };
    }

    // per_game_parameters: the averaged games' number on every coordinate outside the shared parameters, 1 on them; else null.
    private static Tensor? PerGameParameterScale(TrainConfig config, int games, FlatParameters parameters,
        IReadOnlyCollection<TorchSharp.Modules.Parameter>? shared)
    {
        int k = AveragedGames(config, games);
        if (config.Learner.LearningRateScaling != LearningRateScaling.PerGameParameters || k == 1) return null;
        var isShared = (shared ?? []).ToHashSet(ReferenceEqualityComparer.Instance);
        var scale = new float[parameters.Count];
        for (int i = 0; i < parameters.Parameters.Count; i++)
        {
            var p = parameters.Parameters[i];
            Array.Fill(scale, isShared.Contains(p) ? 1f : k, (int)parameters.Offsets[i], (int)p.numel());
        }
        return tensor(scale, dtype: parameters.data.dtype, device: parameters.data.device);
    }

    /// <summary>
    /// The optimizer's learning rate: <c>learner.learning_rate</c>, times the number of games whose losses one update
    /// averages when <c>learner.learning_rate_scaling</c> is <c>games</c> (with <c>per_game_parameters</c> that factor
    /// applies to the per-game parameters only, as a scale on top of this rate). That number is K for balanced batches under the
    /// mean reduction, where each game's gradient enters at 1/K of its single-game size; it is 1 for one game per update
    /// (<c>round_robin</c>) or summed losses, whose gradients already enter at their single-game size.
    /// </summary>
    public static double StepSize(TrainConfig config, int games)
    {
        int averagedGames = AveragedGames(config, games);
        return config.Learner.LearningRateScaling == LearningRateScaling.Games
            ? config.Learner.LearningRate * averagedGames
            : config.Learner.LearningRate;
    }

    /// <summary>
    /// The number of games whose losses one update averages: K for balanced batches under the mean reduction (each game's
    /// gradient enters at 1/K of its single-game size), else 1.
    /// </summary>
    public static int AveragedGames(TrainConfig config, int games) =>
        config.Tasks.Sampling == Sampling.Balanced && config.Tasks.LossReduction == LossReduction.Mean ? games : 1;
}
