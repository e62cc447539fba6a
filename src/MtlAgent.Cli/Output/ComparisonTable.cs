using MtlAgent.Agent.Studies;
using Spectre.Console;
using static MtlAgent.Agent.Studies.ComparisonDocuments;

namespace MtlAgent.Cli.Output;

/// <summary>The human-readable form of a <see cref="TransferComparison"/>.</summary>
public static class ComparisonTable
{
    /// <summary>Writes the per-game table, the summary and the affinity matrix to <paramref name="console"/>.</summary>
    public static void Write(IAnsiConsole console, TransferComparison c)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumn(new TableColumn("game").NoWrap());
        foreach (var h in new[] { "frames", "seeds", "multi", "single", "r", "Δ %", "AUC multi", "AUC single", "verdict" })
            table.AddColumn(new TableColumn(h).RightAligned().NoWrap());
        foreach (var g in c.Games)
        {
            var verdict = Verdict(g.Verdict);
            table.AddRow(Markup.Escape(TransferStudy.ShortName(g.Env)), $"{g.Frames:N0}", $"{g.Seeds}",
                g.MultiSem is { } ms ? $"{F(g.MultiReturn)} ± {F(ms)}" : F(g.MultiReturn),
                g.SingleSem is { } ss ? $"{F(g.SingleReturn)} ± {F(ss)}" : F(g.SingleReturn),
                g.Ratio is < 0.8 ? $"[red]{F(g.Ratio)}[/]" : F(g.Ratio), F(g.DeltaPercent, "F1"), F(g.MultiArea), F(g.SingleArea),
                g.Verdict == TransferVerdict.Negative ? $"[red]{verdict}[/]" : verdict);
        }
        console.Write(table);
        console.MarkupLine(
            $"worst game: [bold]" +
            $"{Markup.Escape(c.WorstGame is null ? "-" : TransferStudy.ShortName(c.WorstGame))}[/] (r {F(c.WorstRatio)}); " +
            $"harmonic mean of min(r, 1) {F(c.HarmonicMeanRatio)}; games below 0.8: {c.GamesBelow08}; Δp {F(c.DeltaP, "F1")} %");
        if (c.Affinity is not { } a) return;
        var matrix = new Table().Border(TableBorder.Simple).AddColumn("mean cosine");
        foreach (var g in a.Games) matrix.AddColumn(new TableColumn(Markup.Escape(TransferStudy.ShortName(g))).RightAligned());
        for (int i = 0; i < a.Games.Count; i++)
            matrix.AddRow(new[] { Markup.Escape(TransferStudy.ShortName(a.Games[i])) }.Concat(a.MeanCosine[i].Select(v => F(v))).ToArray());
        console.MarkupLine($"task affinity over {a.Rows} gradient rows:");
        console.Write(matrix);
    }
}
