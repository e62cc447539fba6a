namespace MtlAgent.Agent.Acting;

/// <summary>What acting needs from a network: head outputs for a batch of observations, and their meaning in real units.</summary>
public interface IActionValueFunction
{
    /// <summary>Games the function has heads for (registry ids), in head order.</summary>
    IReadOnlyList<string> Games { get; }

    /// <summary>
    /// The heads' outputs (network units) for rows grouped by game: <paramref name="rowsPerGame"/>[g] consecutive rows of
    /// game g, games in head order; row r observes <paramref name="observation"/>(r), <c>[C, 10, 10]</c> 0/1 bytes exactly
    /// as the game emits them. Row r's values go into <paramref name="outputs"/>[r] (length: its game's actions).
    /// </summary>
    void Outputs(ReadOnlySpan<int> rowsPerGame, Func<int, ReadOnlyMemory<byte>> observation, float[][] outputs);

    /// <summary>Game <paramref name="game"/>'s outputs as real-unit Q-values, in place.</summary>
    void ToRealUnits(int game, Span<float> values);
}
