using System.Text.Json;

namespace MtlAgent.Agent.Studies;

/// <summary>
/// How the games' gradients on the shared trunk relate, averaged over a run's gradient rows: the mean cosine of every
/// pair (1 on the diagonal) and the share of rows in which the pair conflicted (cosine below 0).
/// </summary>
/// <param name="Games">Env ids, in matrix order.</param>
/// <param name="MeanCosine">Mean cosine of games i and j over the rows.</param>
/// <param name="ConflictShare">Share of rows in which games i and j had a negative cosine.</param>
/// <param name="Rows">Gradient rows averaged.</param>
public sealed record TaskAffinity(IReadOnlyList<string> Games, double[][] MeanCosine, double[][] ConflictShare, int Rows)
{
    /// <summary>Averages the <c>cosines</c> of gradient rows over <paramref name="games"/>; null without rows.</summary>
    public static TaskAffinity? Average(IReadOnlyList<string> games, IReadOnlyList<JsonElement> rows)
    {
        int k = games.Count, n = 0;
        var sum = Square(k);
        var conflicts = Square(k);
        foreach (var row in rows)
        {
            var rowGames = row.GetProperty("games").EnumerateArray().Select(g => g.GetString()!).ToList();
            if (!rowGames.SequenceEqual(games)) continue;
            var cos = row.GetProperty("cosines").EnumerateArray()
                .Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray())
                .ToArray();
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++)
                {
                    sum[i][j] += cos[i][j];
                    if (cos[i][j] < 0) conflicts[i][j]++;
                }
            n++;
        }
        if (n == 0) return null;
        return new TaskAffinity(games, sum.Select(r => r.Select(v => v / n).ToArray()).ToArray(),
            conflicts.Select(r => r.Select(v => v / n).ToArray()).ToArray(), n);
    }

    private static double[][] Square(int k) => Enumerable.Range(0, k).Select(_ => new double[k]).ToArray();
}
