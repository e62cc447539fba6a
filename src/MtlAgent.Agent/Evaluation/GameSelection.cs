namespace MtlAgent.Agent.Evaluation;

/// <summary>Picks games out of those a policy was trained on, with errors that list what it has.</summary>
public static class GameSelection
{
    /// <summary>
    /// The games named in <paramref name="list"/> (comma-separated registry ids), or all of <paramref name="available"/>
    /// when the list is null or blank. Throws <see cref="ArgumentException"/> for a game the policy has no head for.
    /// </summary>
    public static IReadOnlyList<string> Parse(string? list, IReadOnlyList<string> available, string source)
    {
        if (string.IsNullOrWhiteSpace(list)) return available;
        var games = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(g => Require(g, available, source))
            .Distinct()
            .ToList();
        return games.Count > 0 ? games : throw new ArgumentException($"no games in '{list}'; {source} has: {string.Join(", ", available)}");
    }

    /// <summary>Returns <paramref name="game"/> if <paramref name="available"/> contains it, otherwise throws naming what it has.</summary>
    public static string Require(string game, IReadOnlyList<string> available, string source) =>
        available.Contains(game)
            ? game
            : throw new ArgumentException($"game '{game}' is not in {source}; it has: {string.Join(", ", available)}");
}
