namespace MtlAgent.Envs;

/// <summary>What a registered id stands for.</summary>
/// <param name="Id">Registry id, e.g. <c>MinAtar/Breakout-v1</c>.</param>
/// <param name="Game">Game name, e.g. <c>Breakout</c>.</param>
/// <param name="Channels">Observation channels C of the <c>[C, 10, 10]</c> observation.</param>
/// <param name="ActionCount">Number of agent actions.</param>
/// <param name="FullActions">Full-set index (0..5) applied for each agent action.</param>
/// <param name="ActionNames">Name of each agent action (noop, left, up, right, down, fire).</param>
/// <param name="ChannelNames">Name of each observation channel, in channel order (spec tables).</param>
public sealed record EnvSpec(string Id, string Game, int Channels, int ActionCount, IReadOnlyList<int> FullActions,
    IReadOnlyList<string> ActionNames, IReadOnlyList<string> ChannelNames)
{
    /// <summary>Names of the six full-set actions, by index.</summary>
    public static IReadOnlyList<string> FullActionNames { get; } = ["noop", "left", "up", "right", "down", "fire"];

    /// <summary>Whether this id uses the minimal action set (<c>-v1</c>).</summary>
    public bool MinimalActions => ActionCount < 6;

    /// <summary>The agent action index named <paramref name="name"/>; throws listing the names if unknown.</summary>
    public int ActionIndex(string name)
    {
        for (int i = 0; i < ActionNames.Count; i++)
            if (string.Equals(ActionNames[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        throw new ArgumentException($"unknown action '{name}' for {Id}; known: {string.Join(", ", ActionNames)}");
    }
}
