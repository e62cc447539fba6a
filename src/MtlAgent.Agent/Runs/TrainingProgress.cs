using System.Globalization;
using MtlAgent.Agent.Monitoring;
using MtlAgent.Agent.Training;

namespace MtlAgent.Agent.Runs;

/// <summary>What the log and the views show at one moment: the trainer's snapshot plus run-level rates.</summary>
/// <param name="Snapshot">The trainer's counters and per-game statistics.</param>
/// <param name="Losses">Each game's mean loss over the updates of the interval shown (null: none).</param>
/// <param name="TargetFrames">Frames per game at which the run ends.</param>
/// <param name="FramesPerSecond">Environment frames per second, all games together, over the last interval.</param>
/// <param name="WallSeconds">Training time of the run so far, across resumes.</param>
public sealed record TrainingProgress(TrainingSnapshot Snapshot, IReadOnlyList<double?> Losses, long TargetFrames, double FramesPerSecond,
    double WallSeconds)
{
    /// <summary>The last gradient-conflict measurement, if any.</summary>
    public GradientConflict? Gradients { get; init; }

    /// <summary>Fraction of the run done, 0 to 1.</summary>
    public double Fraction => Math.Clamp((double)Snapshot.FramesPerGame / TargetFrames, 0, 1);

    /// <summary>Estimated time left at the current rate, or null before a rate is known.</summary>
    public TimeSpan? Eta =>
        FramesPerSecond > 0
            ? TimeSpan.FromSeconds(Math.Max(0, TargetFrames - Snapshot.FramesPerGame) * Snapshot.Games.Count / FramesPerSecond)
            : null;

    /// <summary>One line: frames, percentage, rate, ETA, worst/median/mean normalised scores.</summary>
    public string Headline() =>
        $"frames {Snapshot.FramesPerGame:N0}/{TargetFrames:N0} per game ({Fraction * 100:F0}%) | " +
        $"{FramesPerSecond:N0} frames/s | ETA {Duration(Eta)} | " +
        $"updates {Snapshot.Updates:N0} | worst {Short(Snapshot.WorstGame)} {Num(Snapshot.WorstScore)}" +
        $" | median {Num(Snapshot.MedianScore)} | mean {Num(Snapshot.MeanScore)}";

    /// <summary>One line per game for logs and plain output.</summary>
    public string GameLine(int game)
    {
        var g = Snapshot.Games[game];
        return $"  {g.Env,-26} return {Num(g.RecentReturn, "F2"),8} score {Num(g.NormalizedScore),6}" +
            $" eps {g.Epsilon:F3} loss {Num(Losses[game], "G4"),9} " +
            $"sigma {g.PopArtSigma:G4} weight {g.TaskWeight:F2} episodes {g.Episodes:N0}" +
            $"{(g.GateEntropy is { } h ? $" gate entropy {Num(h)}" : "")}{Flags(g)}";
    }

    /// <summary>One line on the last gradient-conflict measurement, or null without one.</summary>
    public string? GradientLine()
    {
        if (Gradients is not { } g) return null;
        var (a, b, cosine) = g.MostConflicting;
        var (worst, decrease) = g.Worst;
        return FormattableString.Invariant(
            $"  gradients at update {g.Updates:N0}: {g.ConflictShare * 100:F0}% of pairs conflict, most {Short(g.Games[a])}/{
                Short(g.Games[b])} cos {cosine:F2}, least helped {Short(g.Games[worst])} {decrease:G3}");
    }

    /// <summary>Markers for the worst game and the monitor's flags.</summary>
    public string Flags(GameSnapshot g) =>
        (g.Env == Snapshot.WorstGame ? " [worst]" : "") + (g.Regressing ? " [regressing]" : "") + (g.Stalled ? " [stalled]" : "");

    /// <summary>A nullable number, "-" when unknown.</summary>
    public static string Num(double? v, string format = "F2") => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "-";

    /// <summary>h:mm:ss, or "-" when unknown.</summary>
    public static string Duration(TimeSpan? t) =>
        t is { } d ? $"{(int)d.TotalHours}:{d.Minutes:00}:{d.Seconds:00}" : "-";

    /// <summary>An env id without the <c>MinAtar/</c> prefix, "-" when null.</summary>
    public static string Short(string? env) =>
        env is null ? "-" : env.StartsWith("MinAtar/", StringComparison.Ordinal) ? env["MinAtar/".Length..] : env;
}
