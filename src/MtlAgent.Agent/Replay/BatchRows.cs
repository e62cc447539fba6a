using MtlAgent.Agent.Configuration;

namespace MtlAgent.Agent.Replay;

/// <summary>
/// How many rows of an update batch come from each game's replay (rows of a game are contiguous, games in head order):
/// balanced, every game in every batch (equal shares, or those of <c>tasks.game_weights</c>), or one game's rows only
/// (<c>tasks.sampling: round_robin</c>).
/// </summary>
public sealed class BatchRows
{
    private BatchRows(int[] rowsPerGame)
    {
        RowsPerGame = rowsPerGame;
        RowOffsets = new int[rowsPerGame.Length];
        for (int g = 1; g < rowsPerGame.Length; g++) RowOffsets[g] = RowOffsets[g - 1] + rowsPerGame[g - 1];
        BatchSize = rowsPerGame.Sum();
    }

    /// <summary>Rows of each game; 0 for a game that is not in the batch.</summary>
    public int[] RowsPerGame { get; }

    /// <summary>First batch row of each game.</summary>
    public int[] RowOffsets { get; }

    /// <summary>Rows in one update batch (all games).</summary>
    public int BatchSize { get; }

    /// <summary>
    /// Every game of <paramref name="games"/> in every batch, <c>batch_per_game</c>
    /// rows each or in the shares of <c>tasks.game_weights</c>.
    /// </summary>
    public static BatchRows Balanced(IReadOnlyList<string> games, ReplayConfig replay, TaskConfig tasks) =>
        new(Shares(games, replay.BatchPerGame, tasks.GameWeights));

    /// <summary><paramref name="rows"/> rows of game <paramref name="game"/> only, of <paramref name="games"/> games.</summary>
    public static BatchRows OneGame(int game, int games, int rows)
    {
        var perGame = new int[games];
        perGame[game] = rows;
        return new BatchRows(perGame);
    }

    /// <summary>
    /// Splits <c>batchPerGame * K</c> rows over the games in proportion to <paramref name="weights"/> (largest remainder,
    /// at least one row each); null weights give every game <paramref name="batchPerGame"/> rows. The weights are
    /// positive (checked with the configuration).
    /// </summary>
    public static int[] Shares(IReadOnlyList<string> games, int batchPerGame, IReadOnlyDictionary<string, double>? weights)
    {
        int k = games.Count;
        if (weights is null) return Enumerable.Repeat(batchPerGame, k).ToArray();
        double[] w = games.Select(g => weights.TryGetValue(g, out var v) ? v : 1.0).ToArray();
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
