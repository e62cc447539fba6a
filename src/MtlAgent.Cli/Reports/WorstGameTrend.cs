using System.Globalization;
using MtlAgent.Agent.Studies;

namespace MtlAgent.Cli.Reports;

/// <summary>
/// The report's headline: the game that is worst now (the last training row's <c>worst_game</c>), its normalised score,
/// and which way that game's score went over the last rows: the change along a least-squares line through them, which
/// one noisy row does not flip the way a plain difference of two rows would.
/// </summary>
/// <param name="Env">Env id of the worst game.</param>
/// <param name="Score">Its normalised score in the last row.</param>
/// <param name="Change">Change of its score along the fitted line over the rows (null with one row).</param>
/// <param name="Rows">Rows fitted: the last <see cref="Window"/> rows in which the game has a score.</param>
public sealed record WorstGameTrend(string Env, double Score, double? Change, int Rows)
{
    /// <summary>Training rows the trend looks back over.</summary>
    public const int Window = 10;

    /// <summary>Changes smaller than this (in normalised score) read as flat.</summary>
    public const double Flat = 0.01;

    /// <summary>The trend of the last row's worst game, or null while no game has a score.</summary>
    public static WorstGameTrend? Of(IReadOnlyList<TrainRow> rows)
    {
        if (rows.Count == 0 || rows[^1] is not { WorstGame: { } env, WorstScore: { } score }) return null;
        var points = rows.TakeLast(Window)
            .Select(r => (r.Frames, Score: r.Games.FirstOrDefault(g => g.Env == env)?.NormalizedScore))
            .Where(p => p.Score is not null).Select(p => (X: (double)p.Frames, Y: p.Score!.Value)).ToList();
        if (points.Count < 2) return new WorstGameTrend(env, score, null, points.Count);
        double mx = points.Average(p => p.X), my = points.Average(p => p.Y);
        double sxx = points.Sum(p => (p.X - mx) * (p.X - mx)), sxy = points.Sum(p => (p.X - mx) * (p.Y - my));
        double slope = sxx > 0 ? sxy / sxx : 0;
        return new WorstGameTrend(env, score, slope * (points[^1].X - points[0].X), points.Count);
    }

    /// <summary>"up", "down" or "flat"; "unknown" with a single row.</summary>
    public string Direction => Change switch
    {
        null => "unknown",
        > Flat => "up",
        < -Flat => "down",
        _ => "flat",
    };

    /// <summary>One line, e.g. <c>worst game now: Breakout-v0, score 0.12, trend up (+0.05) over the last 10 rows</c>.</summary>
    public string Headline() =>
        $"worst game now: {TransferStudy.ShortName(Env)}, score {ReportPage.Number(Score)}, trend {Direction}" +
        (Change is { } c ? $" ({c.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture)}) over the last {Rows} rows" : "");
}
