using MtlAgent.Agent.Runs;
using MtlAgent.Agent.Studies;
using static MtlAgent.Agent.Studies.ComparisonDocuments;

namespace MtlAgent.Cli.Reports;

/// <summary>
/// The report of a transfer study (<c>mtl report STUDY</c>): its runs, the comparison of <c>mtl compare</c> (the Agent's
/// <see cref="TransferComparison"/> of <see cref="ComparisonInputs"/>, not a second computation), multi-game against
/// single-game curves per game, and the task affinity of the multi-game runs.
/// </summary>
public static class StudyReport
{
    /// <summary>Ids of the sections, in page order.</summary>
    public static readonly IReadOnlyList<string> Sections = ["summary", "runs", "compare", "transfer-curves", "affinity", "config"];

    /// <summary>The page of the study in <paramref name="directory"/>.</summary>
    public static string Html(string directory, TransferStudy study)
    {
        directory = Path.GetFullPath(directory);
        ComparisonInputs? inputs = null;
        TransferComparison? comparison = null;
        string? why = null;
        try
        {
            inputs = ComparisonInputs.Load([directory]);
            comparison = inputs.Compare();
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException)
        {
            // A study still in its first runs has nothing to compare yet; the rest of the page still says where it stands.
            why = e.Message;
        }

        var page = new ReportPage($"Study report: {Path.GetFileName(directory)}",
            $"{directory} · transfer study of {study.Preset} · written {RunReport.Now()}");
        page.Headline(Headline(comparison, why));

        page.Section("summary", "Summary", ReportPage.Table(["", "value"],
        [
            ["study directory", directory],
            ["preset", study.Preset],
            ["frames per game", $"{study.Frames:N0}"],
            ["seeds", string.Join(", ", study.Seeds)],
            ["games", string.Join(", ", study.Games)],
            ["settings (--set)", study.Sets.Count == 0 ? "-" : string.Join(" ", study.Sets)],
            ["torch threads per run", $"{study.TorchThreads}"],
        ], "facts"), MultiRunHeadlines(directory, study));

        string[] runColumns = ["run", "state", "frames per game", "wall time", "frames/s", "latest checkpoint", "its report"];
        page.Section("runs", "Runs", ReportPage.Table(runColumns, Runs(directory, study), "run-list"));

        page.Section("compare", "Comparison (mtl compare)", comparison is null
            ? ReportPage.Note($"No comparison yet: {why}")
            : CompareTable(comparison));

        page.Section("transfer-curves", "Multi-game against single-game",
            inputs is null
                ? ReportPage.Note($"No curves yet: {why}")
                : page.Charts(study.Games.Select((env, g) => (StudyCharts.Transfer(inputs, env, g),
                    $"{TransferStudy.ShortName(env)}: no run with a return yet")).ToArray()));

        page.Section("affinity", "Task affinity of the multi-game runs",
            comparison?.Affinity is { } a
                ? page.Charts((AffinityChart.MeanCosine(a), "one game: no pairs"), (AffinityChart.ConflictShare(a), "one game: no pairs"))
                : ReportPage.Note("No gradient rows in the multi-game runs "
                    + "(monitor.gradient_every 0, round-robin sampling, or too few updates yet)."));

        var first = Path.Combine(directory, study.Runs().First(r => r.IsMulti).Name, "config.yaml");
        page.Section("config", "Study and resolved config",
            ReportPage.Paragraph(TransferStudy.FileName + ":"),
            ReportPage.Pre(File.ReadAllText(Path.Combine(directory, TransferStudy.FileName))),
            File.Exists(first)
                ? ReportPage.Paragraph($"config.yaml of {Path.GetRelativePath(directory, Path.GetDirectoryName(first)!)}" +
                    $" (the others differ in seed and games):")
                  + ReportPage.Pre(File.ReadAllText(first))
                : ReportPage.Note("No run has started yet."));
        return page.Html();
    }

    /// <summary>The per-game comparison and its summary, the columns of <c>mtl compare</c>.</summary>
    public static string CompareTable(TransferComparison c)
    {
        var rows = c.Games.Select(g => (IReadOnlyList<string>)
        [
            TransferStudy.ShortName(g.Env), $"{g.Frames:N0}", $"{g.Seeds}",
            g.MultiSem is { } ms ? $"{F(g.MultiReturn)} ± {F(ms)}" : F(g.MultiReturn),
            g.SingleSem is { } ss ? $"{F(g.SingleReturn)} ± {F(ss)}" : F(g.SingleReturn),
            (g.Ratio is < 0.8 ? "!" : "") + F(g.Ratio), F(g.DeltaPercent, "F1"), F(g.MultiArea), F(g.SingleArea),
            (g.Verdict == TransferVerdict.Negative ? "!" : "") + Verdict(g.Verdict),
        ]);
        string[] header = ["game", "frames", "seeds", "multi", "single", "r", "Δ %", "AUC multi", "AUC single", "verdict"];
        return ReportPage.Paragraph("Returns: mean of the last 100 training episodes, mean ± standard error over seeds, at the last "
                + "frame mark every run of the game reached; r = (R_multi - R_random) / (R_single - R_random); Δ: change against the "
                + "single-game baseline; AUC: mean return over the compared frame marks; verdict: a difference beyond two standard errors "
                + "(undecided with one seed).")
            + ReportPage.Table(header, rows, "compare-table")
            + ReportPage.Paragraph($"Worst game: {TransferStudy.ShortName(c.WorstGame ?? "-")} (r {F(c.WorstRatio)}); "
                + $"harmonic mean of min(r, 1) {F(c.HarmonicMeanRatio)}; games below 0.8: {c.GamesBelow08}; Δp {F(c.DeltaP, "F1")} %.");
    }

    /// <summary>
    /// The game that transfers worst by its ratio r; while no baseline is above random play (r undefined everywhere, as
    /// early in a study), the game with the lowest Δ instead, said as such.
    /// </summary>
    public static string Headline(TransferComparison? c, string? why)
    {
        if (c is null) return $"worst game by transfer ratio: not known yet ({why})";
        if (c.WorstGame is { } worst)
            return $"worst game by transfer ratio: {TransferStudy.ShortName(worst)}, r = {F(c.WorstRatio)} " +
                $"(harmonic mean of min(r, 1): {F(c.HarmonicMeanRatio)}; games below 0.8: {c.GamesBelow08})";
        var lowest = c.Games.Where(g => g.DeltaPercent is not null).MinBy(g => g.DeltaPercent);
        return "worst game by transfer ratio: none has a ratio yet (no single-game baseline is above random play)" +
            (lowest is null ? "" : $"; lowest Δ: {TransferStudy.ShortName(lowest.Env)}, {F(lowest.DeltaPercent, "F1")} %");
    }

    private static string MultiRunHeadlines(string directory, TransferStudy study)
    {
        var lines = new List<string>();
        foreach (var run in study.Runs().Where(r => r.IsMulti))
        {
            var dir = new RunDirectory(Path.Combine(directory, run.Name));
            var trend = File.Exists(dir.MetricsPath) ? WorstGameTrend.Of(RunHistory.Read(dir).Train) : null;
            lines.Add($"{run.Name}: {trend?.Headline() ?? "no score yet"}");
        }
        return string.Concat(lines.Select(ReportPage.Paragraph));
    }

    private static IEnumerable<IReadOnlyList<string>> Runs(string directory, TransferStudy study)
    {
        foreach (var run in study.Runs())
        {
            var dir = new RunDirectory(Path.Combine(directory, run.Name));
            var state = study.StateOf(dir.Path);
            var last = state == StudyRunState.NotStarted ? null : RunHistory.Read(dir).Last;
            int games = run.IsMulti ? study.Games.Count : 1;
            yield return
            [
                run.Name,
                state switch { StudyRunState.Finished => "finished", StudyRunState.Unfinished => "unfinished", _ => "not started" },
                last is null ? "-" : $"{last.Frames:N0}",
                last is null ? "-" : RunReport.Duration(last.WallSeconds),
                last is null ? "-" : RunReport.MeanRate(last, games),
                state == StudyRunState.NotStarted ? "-" : Path.GetFileName(dir.Checkpoints.Latest()) ?? "-",
                state == StudyRunState.NotStarted ? "" : $"mtl report {dir.Path}",
            ];
        }
    }
}
