using System.Globalization;
using MtlAgent.Agent.Evaluation;
using Spectre.Console;

namespace MtlAgent.Cli.Output;

/// <summary>The human-readable form of an <see cref="EvaluationReport"/>: one row per game, then the cross-game summary.</summary>
public static class EvaluationTable
{
    /// <summary>Writes the report to <paramref name="console"/>.</summary>
    public static void Write(IAnsiConsole console, EvaluationReport report)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn(new TableColumn("game").NoWrap())
            .AddColumn(new TableColumn("episodes").RightAligned().NoWrap())
            .AddColumn(new TableColumn("return ± s.e.").RightAligned().NoWrap())
            .AddColumn(new TableColumn("median").RightAligned().NoWrap())
            .AddColumn(new TableColumn("normalised").RightAligned().NoWrap())
            .AddColumn(new TableColumn("truncated").RightAligned().NoWrap());
        foreach (var g in report.Games)
        {
            table.AddRow(
                Markup.Escape(g.Env),
                g.Episodes.ToString(CultureInfo.InvariantCulture),
                $"{F(g.ReturnMean)} ± {F(g.ReturnSem)}",
                F(g.ReturnMedian),
                F(g.NormalizedScore),
                g.Truncated.ToString(CultureInfo.InvariantCulture));
        }
        if (report.Checkpoint is not null)
            console.MarkupLine($"checkpoint [bold]{Markup.Escape(report.Checkpoint)}[/] (" +
                $"{report.Frames.ToString("N0", CultureInfo.InvariantCulture)} frames per game)");
        console.Write(table);
        console.MarkupLine($"worst game: [bold]{Markup.Escape(report.Worst.Env)}[/] (normalised {F(report.Worst.NormalizedScore)})");
        console.MarkupLine($"normalised score: median {F(report.MedianNormalizedScore)}, mean {F(report.MeanNormalizedScore)}");
    }

    private static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
}
