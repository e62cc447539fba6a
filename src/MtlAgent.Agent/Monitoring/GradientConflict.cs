namespace MtlAgent.Agent.Monitoring;

/// <summary>
/// How the games' gradients on the shared trunk relate at one update: each game's gradient g_i of its own loss
/// (normalised units, unweighted) with respect to the shared parameters, at the update's parameters and from its batch,
/// and the change d the update then applied to those parameters.
/// </summary>
/// <param name="Updates">The update measured (1-based).</param>
/// <param name="Games">Env ids of the games in the batch, in head order.</param>
/// <param name="Norms">|g_i|.</param>
/// <param name="Cosines">cos(g_i, g_j) (1 on the diagonal; 0 where a gradient is zero).</param>
/// <param name="LossDecreases">&lt;g_i, -d&gt;: the first-order decrease of game i's loss by the update (negative: it rose).</param>
public sealed record GradientConflict(long Updates, IReadOnlyList<string> Games, double[] Norms, double[][] Cosines, double[] LossDecreases)
{
    /// <summary>Share of game pairs (i &lt; j) whose gradients conflict (cosine below 0).</summary>
    public double ConflictShare
    {
        get
        {
            int pairs = 0, conflicts = 0;
            for (int i = 0; i < Games.Count; i++)
                for (int j = i + 1; j < Games.Count; j++, pairs++)
                    if (Cosines[i][j] < 0) conflicts++;
            return pairs == 0 ? 0 : (double)conflicts / pairs;
        }
    }

    /// <summary>The pair with the lowest cosine (the first such pair in row order).</summary>
    public (int First, int Second, double Cosine) MostConflicting
    {
        get
        {
            var best = (0, Games.Count > 1 ? 1 : 0, double.PositiveInfinity);
            for (int i = 0; i < Games.Count; i++)
                for (int j = i + 1; j < Games.Count; j++)
                    if (Cosines[i][j] < best.Item3) best = (i, j, Cosines[i][j]);
            return best;
        }
    }

    /// <summary>The game whose loss the update decreased least to first order: <c>min_i &lt;g_i, -d&gt;</c>.</summary>
    public (int Game, double Decrease) Worst
    {
        get
        {
            int worst = 0;
            for (int i = 1; i < LossDecreases.Length; i++)
                if (LossDecreases[i] < LossDecreases[worst]) worst = i;
            return (worst, LossDecreases[worst]);
        }
    }

    /// <summary>
    /// The figures from the Gram matrix <c>G[i][j] = &lt;g_i, g_j&gt;</c> (row-major, K x K) and the products
    /// <c>&lt;g_i, d&gt;</c> of the gradients with the applied change.
    /// </summary>
    public static GradientConflict From(long updates, IReadOnlyList<string> games, ReadOnlySpan<double> gram,
        ReadOnlySpan<double> gradientDotChange)
    {
        int k = games.Count;
        if (gram.Length != k * k || gradientDotChange.Length != k)
            throw new ArgumentException($"a Gram matrix of {gram.Length} entries and {gradientDotChange.Length} products for {k} games");
        var norms = new double[k];
        for (int i = 0; i < k; i++) norms[i] = Math.Sqrt(Math.Max(0, gram[i * k + i]));
        var cosines = new double[k][];
        for (int i = 0; i < k; i++)
        {
            cosines[i] = new double[k];
            for (int j = 0; j < k; j++)
                cosines[i][j] = i == j ? 1 : norms[i] > 0 && norms[j] > 0 ? Math.Clamp(gram[i * k + j] / (norms[i] * norms[j]), -1, 1) : 0;
        }
        var decreases = new double[k];
        for (int i = 0; i < k; i++) decreases[i] = -gradientDotChange[i];
        return new GradientConflict(updates, games, norms, cosines, decreases);
    }
}
