using MtlAgent.Agent.Configuration;

namespace MtlAgent.Agent.Tasks;

/// <summary>
/// Round-robin sharing of a multi-game run: every game acts the same number of frames in every step, and every
/// update draws a fixed number of rows from each game's replay (equal, or in the shares of <c>TaskConfig.GameWeights</c>).
/// </summary>
public sealed class RoundRobinScheduler
{
    /// <summary>A schedule for <paramref name="games"/> (env ids, in head order).</summary>
    public RoundRobinScheduler(IReadOnlyList<string> games, ReplayConfig replay, TaskConfig tasks)
    {
        Games = games;
        RowsPerGame = RowShares(games, replay.BatchPerGame, tasks.GameWeights);
        RowOffsets = new int[games.Count];
        for (int g = 1; g < games.Count; g++) RowOffsets[g] = RowOffsets[g - 1] + RowsPerGame[g - 1];
        BatchSize = RowsPerGame.Sum();
    }

    /// <summary>Env ids in head order.</summary>
    public IReadOnlyList<string> Games { get; }

    /// <summary>Rows of each game in an update batch; rows of a game are contiguous, games in head order.</summary>
    public int[] RowsPerGame { get; }

    /// <summary>First batch row of each game.</summary>
    public int[] RowOffsets { get; }

    /// <summary>Rows in one update batch (all games).</summary>
    public int BatchSize { get; }

    /// <summary>
    /// Splits <c>batchPerGame * K</c> rows over the games in proportion to <paramref name="weights"/> (largest remainder,
    /// at least one row each); null weights give every game <paramref name="batchPerGame"/> rows.
    /// </summary>
    public static int[] RowShares(IReadOnlyList<string> games, int batchPerGame, IReadOnlyDictionary<string, double>? weights)
    {
        if (batchPerGame < 1) throw new ArgumentOutOfRangeException(nameof(batchPerGame), batchPerGame, "replay.batch_per_game must be at least 1");
        int k = games.Count;
        if (weights is null) return Enumerable.Repeat(batchPerGame, k).ToArray();
        foreach (var key in weights.Keys)
            if (!games.Contains(key)) throw new ArgumentException($"tasks.game_weights names '{key}', which is not a game of this run; games: {string.Join(", ", games)}");
        double[] w = games.Select(g => weights.TryGetValue(g, out var v) ? v : 1.0).ToArray();
        if (w.Any(v => !(v > 0) || !double.IsFinite(v))) throw new ArgumentException("tasks.game_weights must all be positive finite numbers");
        int total = batchPerGame * k;
        double sum = w.Sum();
        double[] exact = w.Select(v => total * v / sum).ToArray();
        int[] rows = exact.Select(x => Math.Max(1, (int)Math.Floor(x))).ToArray();
        // Largest remainder first; ties broken by game order so the split is deterministic.
        var order = Enumerable.Range(0, k).OrderByDescending(i => exact[i] - Math.Floor(exact[i])).ThenBy(i => i).ToArray();
        for (int i = 0; rows.Sum() < total; i = (i + 1) % k) rows[order[i]]++;
        for (int i = k - 1; rows.Sum() > total; i = (i - 1 + k) % k) if (rows[order[i]] > 1) rows[order[i]]--;
        return rows;
    }
}
