using MtlAgent.Agent.Configuration;
using MtlAgent.Torch;
using static MtlAgent.Torch.torch;

namespace MtlAgent.Agent.Learning;

/// <summary>Builds the configured optimizer.</summary>
public static class Optimizers
{
    /// <summary>Centered RMSprop as in the MinAtar reference (eps outside the square root), or Adam.</summary>
    public static optim.Optimizer Create(LearnerConfig config, IEnumerable<nn.Parameter> parameters) => config.Optimizer switch
    {
        "rmsprop" => optim.RMSProp(parameters, lr: config.LearningRate, alpha: config.RmsAlpha, eps: config.RmsEps, centered: config.RmsCentered),
        "adam" => optim.Adam(parameters, lr: config.LearningRate, eps: config.AdamEps),
        _ => throw new ArgumentException($"unknown learner.optimizer '{config.Optimizer}'; known: rmsprop, adam"),
    };
}
