using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Engine;

namespace MtlAgent.Agent.Learning;

/// <summary>Builds the configured optimizer.</summary>
public static class Optimizers
{
    /// <summary>Centered RMSprop as in the MinAtar reference (eps outside the square root), or Adam.</summary>
    public static IFlatOptimizer Create(LearnerConfig config, FlatParameters parameters) => config.Optimizer switch
    {
        OptimizerKind.RmsProp =>
            new FlatRmsProp(parameters, lr: config.LearningRate, alpha: config.RmsAlpha, eps: config.RmsEps, centered: config.RmsCentered),
        OptimizerKind.Adam => new FlatAdam(parameters, lr: config.LearningRate, eps: config.AdamEps),
        _ => throw new ArgumentOutOfRangeException(nameof(config), config.Optimizer, null),
    };
}
