using MtlAgent.Agent.Configuration;
using MtlAgent.Envs;

namespace MtlAgent.Agent.Evaluation;

/// <summary>The game options a policy was trained with, for playing it the same way.</summary>
public static class CheckpointEnv
{
    /// <summary>Sticky actions and difficulty ramping of the run (the step cap is the evaluator's own).</summary>
    public static EnvOptions Options(TrainConfig config) => new()
    {
        StickyActionProb = config.Env.StickyActionProb,
        DifficultyRamping = config.Env.DifficultyRamping,
    };
}
