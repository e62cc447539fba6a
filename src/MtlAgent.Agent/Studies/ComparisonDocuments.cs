using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MtlAgent.Agent.Studies;

/// <summary>A comparison as the documented JSON (<c>mtl compare --json</c>) and as the markdown file of a study.</summary>
public static class ComparisonDocuments
{
    /// <summary>The JSON document (schema in the README, "Measuring transfer").</summary>
    public static string Json(TransferComparison c)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("games");
            foreach (var g in c.Games)
            {
                w.WriteStartObject();
                w.WriteString("env", g.Env);
                w.WriteNumber("frames", g.Frames);
                w.WriteNumber("seeds", g.Seeds);
                Number(w, "multi_return", g.MultiReturn);
                Number(w, "multi_sem", g.MultiSem);
                Number(w, "single_return", g.SingleReturn);
                Number(w, "single_sem", g.SingleSem);
                Number(w, "ratio", g.Ratio);
                Number(w, "delta_percent", g.DeltaPercent);
                Number(w, "multi_auc", g.MultiArea);
                Number(w, "single_auc", g.SingleArea);
                w.WriteString("verdict", Verdict(g.Verdict));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("worst");
            w.WriteString("env", c.WorstGame);
            Number(w, "ratio", c.WorstRatio);
            w.WriteEndObject();
            Number(w, "harmonic_mean_ratio", c.HarmonicMeanRatio);
            w.WriteNumber("games_below_0_8", c.GamesBelow08);
            Number(w, "delta_p", c.DeltaP);
            if (c.Affinity is { } a)
            {
                w.WriteStartObject("affinity");
                w.WriteStartArray("games");
                foreach (var g in a.Games) w.WriteStringValue(g);
                w.WriteEndArray();
                Matrix(w, "mean_cosine", a.MeanCosine);
                Matrix(w, "conflict_share", a.ConflictShare);
                w.WriteNumber("rows", a.Rows);
                w.WriteEndObject();
            }
            else w.WriteNull("affinity");
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>The comparison as a markdown page: the per-game table, the summary and the affinity matrix.</summary>
    public static string Markdown(TransferComparison c, string title)
    {
        var s = new StringBuilder();
        s.Append("# ").Append(title).Append("\n\n");
        s.Append("Returns are the mean of the last 100 training episodes (the MinAtar paper's metric), " +
            "mean ± standard error over seeds; ");
        s.Append("r = (R_multi − R_random) / (R_single − R_random); Δ = relative change against the single-game baseline; ");
        s.Append("AUC = mean return over the compared frame marks; " +
            "verdict: a difference beyond two standard errors (undecided with one seed).\n\n");
        s.Append("| game | frames | seeds | multi | single | r | Δ % | AUC multi | AUC single | verdict |\n" +
            "|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var g in c.Games)
            s.Append(CultureInfo.InvariantCulture,
                $"| {TransferStudy.ShortName(g.Env)} | {g.Frames:N0} | {g.Seeds} | {Pm(g.MultiReturn, g.MultiSem)} | " +
                $"{Pm(g.SingleReturn, g.SingleSem)} | {F(g.Ratio)} | {F(g.DeltaPercent, "F1")} | {F(g.MultiArea)} | " +
                $"{F(g.SingleArea)} | {Verdict(g.Verdict)} |\n");
        s.Append(CultureInfo.InvariantCulture,
            $"\nWorst game: {(c.WorstGame is null ? "-" : TransferStudy.ShortName(c.WorstGame))} (r = {F(c.WorstRatio)}); ");
        s.Append(CultureInfo.InvariantCulture,
            $"harmonic mean of min(r, 1): {F(c.HarmonicMeanRatio)}; games below 0.8: {c.GamesBelow08}; Δp: {F(c.DeltaP, "F1")} %.\n");
        if (c.Affinity is { } a)
        {
            s.Append(CultureInfo.InvariantCulture,
                $"\nTask affinity: mean cosine of the games' trunk gradients over " +
                $"{a.Rows} gradient rows (share of rows in conflict, cosine < 0, in brackets).\n\n");
            s.Append("| | ").Append(string.Join(" | ", a.Games.Select(TransferStudy.ShortName)))
                .Append(" |\n|---|").Append(string.Concat(a.Games.Select(_ => "---|"))).Append('\n');
            for (int i = 0; i < a.Games.Count; i++)
                s.Append("| ").Append(TransferStudy.ShortName(a.Games[i])).Append(" | ")
                    .Append(string.Join(" | ", Enumerable.Range(0, a.Games.Count)
                        .Select(j => i == j ? "1" : $"{F(a.MeanCosine[i][j])} ({a.ConflictShare[i][j]:P0})")))
                    .Append(" |\n");
        }
        return s.ToString();
    }

    /// <summary>The verdict's lower-case name, as in the JSON.</summary>
    public static string Verdict(TransferVerdict v) => v.ToString().ToLowerInvariant();

    /// <summary>A number with two decimals, "-" when unknown.</summary>
    public static string F(double? v, string format = "F2") =>
        v is { } x && double.IsFinite(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static string Pm(double mean, double? sem) => sem is { } e ? $"{F(mean)} ± {F(e)}" : F(mean);

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v)) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    private static void Matrix(Utf8JsonWriter w, string name, double[][] m)
    {
        w.WriteStartArray(name);
        foreach (var row in m)
        {
            w.WriteStartArray();
            foreach (var v in row) w.WriteNumberValue(v);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }
}
