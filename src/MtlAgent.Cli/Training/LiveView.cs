using Spectre.Console;
using Spectre.Console.Rendering;

namespace MtlAgent.Cli.Training;

/// <summary>The terminal view of a run: a progress bar with rate and ETA over a per-game table (σ: PopArt scale).</summary>
public static class LiveView
{
    const int BarWidth = 40;

    /// <summary>True when stdout is an interactive terminal able to redraw in place.</summary>
    public static bool Available =>
        !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive && AnsiConsole.Profile.Capabilities.Ansi
        && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb")
        && Environment.GetEnvironmentVariable("CI") is null;

    /// <summary>The renderable for one moment of the run.</summary>
    public static IRenderable Render(TrainingProgress p, string runDirectory)
    {
        var s = p.Snapshot;
        var filled = (int)Math.Round(p.Fraction * BarWidth);
        var bar = new Markup(
            $"[green]{new string('━', filled)}[/][grey]{new string('━', BarWidth - filled)}[/] {p.Fraction * 100,3:F0}%  " +
            $"{s.FramesPerGame:N0}/{p.TargetFrames:N0} frames per game  [bold]{p.FramesPerSecond:N0}[/] frames/s  " +
            $"ETA {TrainingProgress.Duration(p.Eta)}  updates {s.Updates:N0}");

        var table = new Table().Border(TableBorder.Simple).AddColumn("game");
        foreach (var header in new[] { "episodes", "return", "score", "ε", "loss", "σ", "weight" })
            table.AddColumn(new TableColumn(header).RightAligned());
        table.AddColumn("flags");
        foreach (var g in s.Games)
        {
            var name = Markup.Escape(TrainingProgress.Short(g.Env));
            var flags = string.Join(" ", new[] { g.Regressing ? "regressing" : "", g.Stalled ? "stalled" : "" }.Where(f => f.Length > 0));
            table.AddRow(g.Env == s.WorstGame ? $"[red bold]{name}[/]" : name, $"{g.Episodes:N0}", TrainingProgress.Num(g.RecentReturn),
                TrainingProgress.Num(g.NormalizedScore), $"{g.Epsilon:F2}", TrainingProgress.Num(g.Loss, "G3"), $"{g.PopArtSigma:G3}",
                $"{g.TaskWeight:F2}", $"[yellow]{flags}[/]");
        }
        table.Caption($"[red]worst[/] {Markup.Escape(TrainingProgress.Short(s.WorstGame))} {TrainingProgress.Num(s.WorstScore)} · median {TrainingProgress.Num(s.MedianScore)} · " +
            $"mean {TrainingProgress.Num(s.MeanScore)} (normalised scores) · {Markup.Escape(runDirectory)}");
        return new Rows(bar, table);
    }
}
