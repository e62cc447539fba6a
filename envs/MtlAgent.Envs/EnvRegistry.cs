using System.Globalization;
using MtlAgent.Envs.Games;

namespace MtlAgent.Envs;

/// <summary>
/// The registered ids: <c>MinAtar/{Breakout,Asterix,Freeway,Seaquest,SpaceInvaders}-v1</c> (minimal
/// action set, agent index i applies minimal[i]) and <c>-v0</c> (all six actions), as in MinAtar's
/// gymnasium registration. A registered id followed by <c>#n</c> (n at least 2, e.g. <c>MinAtar/Breakout-v0#2</c>) names a
/// further copy of the same game, so one run can train a game twice (the copies differ only in their environment seeds).
/// </summary>
public static class EnvRegistry
{
    private sealed record GameEntry(string Name, string[] ChannelNames, int[] MinimalActions, Func<RandomState, bool, Game> Create)
    {
        internal int Channels => ChannelNames.Length;
    }

    private static readonly GameEntry[] Games =
    [
        new("Breakout", ["paddle", "ball", "trail", "brick"], [0, 1, 3], (rng, ramp) => new Breakout(rng, ramp)),
        new("Asterix", ["player", "enemy", "trail", "gold"], [0, 1, 2, 3, 4], (rng, ramp) => new Asterix(rng, ramp)),
        new("Freeway", ["chicken", "car", "speed1", "speed2", "speed3", "speed4", "speed5"], [0, 2, 4],
            (rng, ramp) => new Freeway(rng, ramp)),
        new("Seaquest", ["sub_front", "sub_back", "friendly_bullet", "trail", "enemy_bullet", "enemy_fish", "enemy_sub",
            "oxygen_gauge", "diver_gauge", "diver"], [0, 1, 2, 3, 4, 5], (rng, ramp) => new Seaquest(rng, ramp)),
        new("SpaceInvaders", ["cannon", "alien", "alien_left", "alien_right", "friendly_bullet", "enemy_bullet"], [0, 1, 3, 5],
            (rng, ramp) => new SpaceInvaders(rng, ramp)),
    ];

    private static readonly Dictionary<string, (EnvSpec Spec, GameEntry Game)> ById = Build();

    private static Dictionary<string, (EnvSpec, GameEntry)> Build()
    {
        var byId = new Dictionary<string, (EnvSpec, GameEntry)>(StringComparer.Ordinal);
        foreach (GameEntry g in Games)
        {
            foreach (var (version, actions) in new[] { ("v1", g.MinimalActions), ("v0", new[] { 0, 1, 2, 3, 4, 5 }) })
            {
                string id = $"MinAtar/{g.Name}-{version}";
                var names = actions.Select(a => EnvSpec.FullActionNames[a]).ToArray();
                byId[id] = (new EnvSpec(id, g.Name, g.Channels, actions.Length, actions, names, g.ChannelNames), g);
            }
        }
        return byId;
    }

    /// <summary>Every registered id: the five games, <c>-v1</c> then <c>-v0</c>.</summary>
    public static IReadOnlyList<string> Ids { get; } =
        Games.SelectMany(g => new[] { $"MinAtar/{g.Name}-v1", $"MinAtar/{g.Name}-v0" }).ToArray();

    /// <summary>Separates a registered id from the number of a further copy of that game (<c>MinAtar/Breakout-v0#2</c>).</summary>
    public const char CopySeparator = '#';

    /// <summary>Whether <paramref name="id"/> is a registered id, or one with a copy number.</summary>
    public static bool IsKnown(string id) => TryLookup(id, out _);

    /// <summary>The registered id of <paramref name="id"/>: without its copy number, if any.</summary>
    public static string GameId(string id)
    {
        int hash = id.IndexOf(CopySeparator);
        return hash < 0 ? id : id[..hash];
    }

    /// <summary>The spec of <paramref name="id"/>; unknown ids throw <see cref="ArgumentException"/> listing the known ones.</summary>
    public static EnvSpec Spec(string id) => Lookup(id).Spec;

    /// <summary>Creates the environment <paramref name="id"/> (unseeded until <see cref="IEnv.Reset"/> gets a seed).</summary>
    public static MinAtarEnv Make(string id, EnvOptions? options = null)
    {
        var (spec, game) = Lookup(id);
        options ??= EnvOptions.Default;
        options.Validate();
        return new MinAtarEnv(spec, options, rng => game.Create(rng, options.DifficultyRamping));
    }

    private static (EnvSpec Spec, GameEntry Game) Lookup(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (TryLookup(id, out var entry)) return entry;
        throw new ArgumentException(
            $"unknown environment '{id}'; known: {string.Join(", ", Ids)} " +
            $"(or one of them with {CopySeparator}n, n >= 2, for a further copy)");
    }

    private static bool TryLookup(string id, out (EnvSpec Spec, GameEntry Game) entry)
    {
        if (ById.TryGetValue(id, out entry)) return true;
        int hash = id.IndexOf(CopySeparator);
        if (hash < 0 || !int.TryParse(id.AsSpan(hash + 1), NumberStyles.None, null, out int copy) || copy < 2
            || id[(hash + 1)..] != copy.ToString(CultureInfo.InvariantCulture)
            || !ById.TryGetValue(id[..hash], out var original))
            return false;
        entry = (original.Spec with { Id = id }, original.Game);
        return true;
    }
}
