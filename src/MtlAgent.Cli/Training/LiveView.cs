using MtlAgent.Agent.Runs;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace MtlAgent.Cli.Training;

/// <summary>The terminal view of a run: a progress bar with rate and ETA over a per-game table (σ: PopArt scale).</summary>
public static class LiveView
{
    private const int BarWidth = 40;

    /// <summary>True when stdout is an interactive terminal able to redraw in place.</summary>
    public static bool Available =>
        !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive && AnsiConsole.Profile.Capabilities.Ansi
        && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb")
        && Environment.GetEnvironmentVariable("CI") is null;

    /// <summary>At most six characters: three significant digits, or a mantissa and exponent for small and large values.</summary>
    public static string Compact(double? value)
    {
        if (value is not { } v) return "-";
        var text = v.ToString("G3", System.Globalization.CultureInfo.InvariantCulture);
        return text.Length <= 6 ? text : v.ToString("0.0e0", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The renderable for one moment of the run.</summary>
    public static IRenderable Render(TrainingProgress p, string runDirectory)
    {
        var s = p.Snapshot;
        var filled = (int)Math.Round(p.Fraction * BarWidth);
        var bar = new Markup(
            $"[green]{new string('━', filled)}[/][grey]{new string('━', BarWidth - filled)}[/] {p.Fraction * 100,3:F0}%  " +
            $"{s.FramesPerGame:N0}/{p.TargetFrames:N0} frames per game  [bold]{p.FramesPerSecond:N0}[/] frames/s  " +
            $"ETA {TrainingProgress.Duration(p.Eta)}  updates {s.Updates:N0}");

        // Flags only take room when some game has one, so the table fits 80 columns.
        var flagged = s.Games.Any(g => g.Regressing || g.Stalled);
        var table = new Table().Border(TableBorder.Simple).AddColumn("game");
        foreach (var header in new[] { "episodes", "return", "score", "ε", "loss", "σ", "weight" })
            table.AddColumn(new TableColumn(header).RightAligned());
        if (flagged) table.AddColumn("flags");
        for (int i = 0; i < s.Games.Count; i++)
        {
            var g = s.Games[i];
            var name = Markup.Escape(TrainingProgress.Short(g.Env));
            var cells = new List<string>
            {
                g.Env == s.WorstGame ? $"[red bold]{name}[/]" : name, $"{g.Episodes:N0}", TrainingProgress.Num(g.RecentReturn),
                TrainingProgress.Num(g.NormalizedScore), $"{g.Epsilon:F2}", Compact(p.Losses[i]), Compact(g.PopArtSigma),
                $"{g.TaskWeight:F2}",
            };
            if (flagged) cells.Add($"[yellow]{(g.Regressing ? "regressing " : "")}{(g.Stalled ? "stalled" : "")}[/]");
            table.AddRow(cells.ToArray());
        }
        table.Caption($"[red]worst[/] {Markup.Escape(TrainingProgress.Short(s.WorstGame))} {TrainingProgress.Num(s.WorstScore)}" +
            $" · median {TrainingProgress.Num(s.MedianScore)} · " +
            $"mean {TrainingProgress.Num(s.MeanScore)} (normalised scores) · {Markup.Escape(runDirectory)}");
        if (p.Gradients is not { } gradients) return new Rows(bar, table);
        var (a, b, cosine) = gradients.MostConflicting;
        var pair = $"{TrainingProgress.Short(gradients.Games[a])}/{TrainingProgress.Short(gradients.Games[b])}";
        var line = new Markup(Markup.Escape(FormattableString.Invariant(
            $"gradients (update {gradients.Updates:N0}): {gradients.ConflictShare * 100:F0}% of game pairs conflict · most conflicting {
                pair} cos {cosine:F2}")));
        return new Rows(bar, table, line);
    }
}
