using MtlAgent.Agent.Randomness;

namespace MtlAgent.Agent.Acting;

/// <summary>
/// The one way actions are chosen, in training, evaluation and replay: epsilon-greedy over an
/// <see cref="IActionValueFunction"/>, with the draws first, so the greedy rows share one forward pass and the random
/// streams do not depend on the network.
/// </summary>
public static class EpsilonGreedy
{
    /// <summary>
    /// Actions for rows grouped by game (see <see cref="IActionValueFunction.Outputs"/>). Row by row, one uniform draw
    /// from <paramref name="rng"/>(r) decides: below <paramref name="epsilon"/> a second draw picks a uniformly random
    /// action of the row's game, otherwise the row acts greedily. Then, if a row is greedy or <paramref name="qValues"/> are
    /// wanted, one call of <paramref name="values"/> for all rows; the greedy action is the first maximum of the head's
    /// outputs (the same as of the real-unit values, but with the network's own ties). <paramref name="random"/>, when
    /// given, says which rows drew; <paramref name="qValues"/>, when given, receives each row's real-unit Q-values.
    /// </summary>
    public static void Act(IActionValueFunction values, ReadOnlySpan<int> rowsPerGame, IReadOnlyList<int> actionCounts,
        Func<int, ReadOnlyMemory<byte>> observation, double epsilon, Func<int, Xoshiro256> rng, Span<int> actions,
        Span<bool> random = default, float[][]? qValues = null)
    {
        bool anyGreedy = false;
        for (int g = 0, row = 0; g < rowsPerGame.Length; g++)
            for (int i = 0; i < rowsPerGame[g]; i++, row++)
            {
                var drawn = Draw(epsilon, actionCounts[g], rng(row));
                actions[row] = drawn ?? -1;
                anyGreedy |= drawn is null;
                if (!random.IsEmpty) random[row] = drawn is not null;
            }
        if (!anyGreedy && qValues is null) return;
        var outputs = qValues ?? new float[actions.Length][];
        values.Outputs(rowsPerGame, observation, outputs);
        for (int row = 0; row < actions.Length; row++)
            if (actions[row] < 0) actions[row] = Argmax(outputs[row]);
        if (qValues is null) return;
        for (int g = 0, row = 0; g < rowsPerGame.Length; g++)
            for (int i = 0; i < rowsPerGame[g]; i++, row++) values.ToRealUnits(g, qValues[row]);
    }

    /// <summary>
    /// With probability <paramref name="epsilon"/> a uniformly random action of <paramref name="actions"/>, otherwise
    /// null (act greedily). The uniform draw happens every call, so the stream does not depend on epsilon's value.
    /// </summary>
    public static int? Draw(double epsilon, int actions, Xoshiro256 rng) =>
        rng.NextDouble() < epsilon ? rng.NextInt(actions) : null;

    /// <summary>Index of the first maximum.</summary>
    public static int Argmax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }
}
