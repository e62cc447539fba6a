using MtlAgent.Envs;

namespace MtlAgent.Agent.Monitoring;

/// <summary>Anchors of one game's normalised score.</summary>
/// <param name="Random">Mean return of uniform random play over the env id's action set.</param>
/// <param name="Reference">Mean return of the reference DQN after about 5M frames.</param>
public sealed record ScoreAnchors(double Random, double Reference);

/// <summary>
/// Anchors for normalised scores <c>(R - R_random) / (R_reference - R_random)</c>.
/// Provenance: random returns from shared/spec/minatar-games.md section 10.1 (upstream MinAtar 1.0.15, sticky 0.1,
/// ramping on, 2000 seeded episodes: "random, all 6 actions" for <c>-v0</c> ids, "random, minimal set" for <c>-v1</c>);
/// reference returns from shared/spec/minatar-reference.md section 4.1 (MinAtar DQN, end of the learning curve at 5M
/// frames, read from the README figures, about +-1; Seaquest from MinAtar &lt;= 1.0.10).
/// </summary>
public static class ReferenceScores
{
    private static readonly Dictionary<string, (double Random6, double RandomMinimal, double Dqn)> Table = new()
    {
        ["Breakout"] = (0.532, 0.370, 10),
        ["Asterix"] = (0.531, 0.503, 17),
        ["Freeway"] = (0.129, 0.404, 50),
        ["Seaquest"] = (0.100, 0.100, 20),
        ["SpaceInvaders"] = (2.776, 4.054, 44),
    };

    /// <summary>
    /// Anchors for an env id such as <c>MinAtar/Breakout-v1</c> (a copy such as <c>MinAtar/Breakout-v1#2</c> has the
    /// game's); null when the game or version is not in the table.
    /// </summary>
    public static ScoreAnchors? For(string envId)
    {
        envId = EnvRegistry.GameId(envId);
        int slash = envId.LastIndexOf('/'), dash = envId.LastIndexOf("-v", StringComparison.Ordinal);
        if (dash <= slash) return null;
        string game = envId[(slash + 1)..dash], version = envId[(dash + 1)..];
        if (!Table.TryGetValue(game, out var row)) return null;
        return version switch
        {
            "v0" => new ScoreAnchors(row.Random6, row.Dqn),
            "v1" => new ScoreAnchors(row.RandomMinimal, row.Dqn),
            _ => null,
        };
    }

    /// <summary>The normalised score of return <paramref name="meanReturn"/> in <paramref name="envId"/>; null without anchors.</summary>
    public static double? Normalize(string envId, double meanReturn) =>
        For(envId) is { } a ? (meanReturn - a.Random) / (a.Reference - a.Random) : null;
}
