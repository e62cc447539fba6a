using Spectre.Console;
using Spectre.Console.Rendering;

namespace MtlAgent.Cli.Training;

/// <summary>The terminal view of a run: a progress bar with rate and ETA over a per-game table.</summary>
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

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("game").AddColumn(new TableColumn("episodes").RightAligned())
            .AddColumn(new TableColumn("return").RightAligned()).AddColumn(new TableColumn("score").RightAligned())
            .AddColumn(new TableColumn("epsilon").RightAligned()).AddColumn(new TableColumn("loss").RightAligned())
            .AddColumn(new TableColumn("PopArt σ").RightAligned()).AddColumn(new TableColumn("weight").RightAligned())
            .AddColumn("flags");
        foreach (var g in s.Games)
        {
            var worst = g.Env == s.WorstGame;
            var name = worst ? $"[red bold]{Markup.Escape(g.Env)}[/]" : Markup.Escape(g.Env);
            table.AddRow(name, $"{g.Episodes:N0}", TrainingProgress.Num(g.RecentReturn), TrainingProgress.Num(g.NormalizedScore),
                $"{g.Epsilon:F3}", TrainingProgress.Num(g.Loss, "G4"), $"{g.PopArtSigma:G4}", $"{g.TaskWeight:F2}",
                $"[yellow]{Markup.Escape(p.Flags(g).Trim())}[/]");
        }
        table.Caption($"worst {Markup.Escape(s.WorstGame ?? "-")} {TrainingProgress.Num(s.WorstScore)} · median {TrainingProgress.Num(s.MedianScore)} · " +
            $"mean {TrainingProgress.Num(s.MeanScore)} (normalised scores) · {Markup.Escape(runDirectory)}");
        return new Rows(bar, table);
    }
}
