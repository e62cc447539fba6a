namespace MtlAgent.Agent.Evaluation;

/// <summary>Q-values of a multi-game policy, the only thing evaluation needs from a network.</summary>
public interface IActionValueFunction
{
    /// <summary>Games the policy has heads for (registry ids).</summary>
    IReadOnlyList<string> Games { get; }

    /// <summary>
    /// Q-values, one row per observation, for a batch of observations of game <paramref name="env"/>,
    /// each channels-first <c>[C, 10, 10]</c> bytes exactly as the environment emits them.
    /// </summary>
    float[][] QValues(string env, IReadOnlyList<byte[]> observations);
}
