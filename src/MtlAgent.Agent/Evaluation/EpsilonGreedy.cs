using MtlAgent.Agent.Randomness;

namespace MtlAgent.Agent.Evaluation;

/// <summary>Epsilon-greedy action choice over a row of Q-values.</summary>
public static class EpsilonGreedy
{
    /// <summary>
    /// With probability <paramref name="epsilon"/> a uniformly random action, otherwise the first action with the
    /// highest Q-value. The uniform draw happens every call, so the stream does not depend on epsilon's value.
    /// </summary>
    public static (int Action, bool Random) Select(ReadOnlySpan<float> qValues, double epsilon, Xoshiro256 rng)
    {
        if (rng.NextDouble() < epsilon) return (rng.NextInt(qValues.Length), true);
        return (Argmax(qValues), false);
    }

    /// <summary>Index of the first maximum.</summary>
    public static int Argmax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }
}
