namespace MtlAgent.Envs;

/// <summary>Gymnasium's step tuple.</summary>
/// <param name="Observation">Observation after the step, <c>[C, 10, 10]</c> 0/1 bytes.</param>
/// <param name="Reward">Reward of the step.</param>
/// <param name="Terminated">The game ended (a terminal state of the MDP).</param>
/// <param name="Truncated">The episode was cut by <see cref="EnvOptions.MaxEpisodeSteps"/>.</param>
/// <param name="Info">Extra data: <c>applied_action</c> (full-set index after stickiness), <c>episode_step</c>.</param>
public readonly record struct StepResult(byte[] Observation, float Reward, bool Terminated, bool Truncated,
    IReadOnlyDictionary<string, object> Info);

/// <summary>The allocation-free step's outcome (observation via <see cref="IEnv.WriteObservation"/>).</summary>
/// <param name="Reward">Reward of the step.</param>
/// <param name="Terminated">The game ended.</param>
/// <param name="Truncated">The episode was cut by the step cap.</param>
public readonly record struct StepStatus(float Reward, bool Terminated, bool Truncated)
{
    /// <summary>Terminated or truncated: the episode is over.</summary>
    public bool Done => Terminated || Truncated;
}
