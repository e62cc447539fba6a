using System.Globalization;
using MtlAgent.Agent.Checkpoints;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Monitoring;
using MtlAgent.Agent.Runs;
using MtlAgent.Agent.Studies;

namespace MtlAgent.Cli.Reports;

/// <summary>
/// The report of one training run (<c>mtl report RUN</c>): the worst game now and its trend, learning curves against the
/// published DQN, normalised scores, PopArt sigma, losses and task weights, gradient conflicts and task affinity,
/// throughput, checkpoints and the resolved config. Sections carry ids (README, "Reports").
/// </summary>
public static class RunReport
{
    /// <summary>Ids of the sections, in page order.</summary>
    public static readonly IReadOnlyList<string> Sections =
        ["summary", "learning-curves", "scores", "training-statistics", "gradients", "throughput", "checkpoints", "config"];

    /// <summary>The page of the run in <paramref name="run"/>.</summary>
    public static string Html(RunDirectory run)
    {
        var config = new ConfigBuilder().AddFile(run.ConfigPath).Build();
        var history = RunHistory.Read(run);
        var trend = WorstGameTrend.Of(history.Train);
        var page = new ReportPage($"Run report: {Path.GetFileName(run.Path)}",
            $"{run.Path} · {string.Join(", ", config.Games.Select(TransferStudy.ShortName))} · written {Now()}");
        page.Headline(trend?.Headline() ?? "worst game now: not known yet (a game has not finished an episode)");
        Add(page, run, config, history, trend);
        return page.Html();
    }

    /// <summary>Adds the run's sections to <paramref name="page"/>.</summary>
    public static void Add(ReportPage page, RunDirectory run, TrainConfig config, RunHistory history, WorstGameTrend? trend)
    {
        var games = config.Games;
        page.Section("summary", "Summary", ReportPage.Table(["", "value"], Facts(run, config, history), "facts"),
            ReportPage.Table(["game", "episodes", "return", "published DQN", "random", "normalised score", "loss", "PopArt sigma",
                "task weight", "flags"], Now(history, games), "games-now"));

        page.Section("learning-curves", "Learning curves",
            ReportPage.Paragraph("Training return (mean of the last 100 episodes, the MinAtar paper's metric) per game, with the "
                + "published reference DQN's level after 5M frames (dashed) and random play's (dotted)"
                + (history.Evals.Count > 0
                    ? "; diamonds: evaluations (mean ± standard error)."
                    : "; no evaluation rows (run.eval_every_frames is 0).")),
            page.Charts(games.Select((env, g) => (RunCharts.LearningCurve(history, env, g),
                $"{TransferStudy.ShortName(env)}: no training row with a return yet")).ToArray()));

        page.Section("scores", "Normalised scores",
            ReportPage.Paragraph("Worst, median and mean normalised score (R - R_random) / (R_DQN - R_random) over the games; "
                + "each worst point is coloured by the game that was worst then."),
            page.WideChart(RunCharts.Scores(history, games, trend), "no training row with a score yet"));

        page.Section("training-statistics", "PopArt sigma, loss and task weights", page.Charts(
            (RunCharts.PerGame(history, games, "PopArt sigma per game", "sigma (real units)", g => g.PopArtSigma), "no statistics yet"),
            (RunCharts.PerGame(history, games, "TD loss per game", "mean loss over the interval", g => g.Loss), "no update yet"),
            (RunCharts.PerGame(history, games, "Task weights", "loss weight (mean 1; uncertainty exp(-s))", g => g.TaskWeight),
                "no task weights yet")));

        var affinity = TaskAffinity.Average(games, history.GradientRows);
        page.Section("gradients", "Gradient conflicts and task affinity",
            history.Gradients.Count == 0
                ? ReportPage.Note(NoGradients(config))
                : ReportPage.Paragraph($"{history.Gradients.Count} gradient rows (every {config.Monitor.GradientEvery:N0} updates)."),
            page.Charts((RunCharts.ConflictShare(history), "no gradient rows"),
                (affinity is null ? null : AffinityChart.MeanCosine(affinity), "no task-affinity matrix (it needs gradient rows)")));

        page.Section("throughput", "Throughput and wall time",
            ReportPage.Paragraph(history.Last is { } last
                ? $"Wall time {Duration(last.WallSeconds)} for {last.Frames:N0} frames per game; mean {MeanRate(last, games.Count)} "
                  + $"frames/s, last interval {last.FramesPerSecond:N0} frames/s (all games together)."
                : "No training row yet."),
            page.Charts((RunCharts.Throughput(history), "no training row yet")));

        page.Section("checkpoints", "Checkpoints", run.Checkpoints.All().Count == 0
            ? ReportPage.Note("No checkpoint yet.")
            : ReportPage.Table(["checkpoint", "frames per game", "updates", "size", "written (UTC)", ""], Checkpoints(run),
                "checkpoint-list"));

        page.Section("config", "Resolved config (config.yaml)", ReportPage.Pre(File.ReadAllText(run.ConfigPath)));
    }

    /// <summary>Hours, minutes and seconds of <paramref name="seconds"/>.</summary>
    public static string Duration(double seconds) => TrainingProgress.Duration(TimeSpan.FromSeconds(seconds));

    /// <summary>Frames per second over the whole run so far, all games together.</summary>
    public static string MeanRate(TrainRow last, int games) =>
        last.WallSeconds > 0 ? (last.Frames * games / last.WallSeconds).ToString("N0", CultureInfo.InvariantCulture) : "-";

    /// <summary>The current time, as the page's subtitles give it.</summary>
    public static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string NoGradients(TrainConfig config) =>
        config.Monitor.GradientEvery == 0 ? "No gradient rows: monitor.gradient_every is 0."
        : config.Games.Count < 2 ? "No gradient rows: a run of one game has no pairs of games."
        : config.Tasks.Sampling == Sampling.RoundRobin
            ? "No gradient rows: with tasks.sampling round_robin each update's batch holds one game."
        : $"No gradient rows yet (one every {config.Monitor.GradientEvery:N0} updates).";

    private static IEnumerable<IReadOnlyList<string>> Facts(RunDirectory run, TrainConfig config, RunHistory history)
    {
        var last = history.Last;
        var latest = File.Exists(run.Checkpoints.LatestPath) ? File.ReadAllText(run.Checkpoints.LatestPath).Trim() : "-";
        yield return ["run directory", run.Path];
        yield return ["games", string.Join(", ", config.Games)];
        long frames = last?.Frames ?? 0;
        yield return ["frames per game", $"{frames:N0} of {config.Frames:N0} ({100.0 * frames / config.Frames:F0} %)"];
        yield return ["updates", last is null ? "0" : $"{last.Updates:N0}"];
        yield return ["wall time", last is null ? "-" : Duration(last.WallSeconds)];
        yield return ["frames/s (all games)",
            last is null ? "-" : $"{MeanRate(last, config.Games.Count)} mean, {last.FramesPerSecond:N0} in the last interval"];
        yield return ["seed, device, torch threads",
            $"{config.Seed}, {config.Device.ToString().ToLowerInvariant()}, {config.TorchThreads}"];
        yield return ["latest checkpoint", latest];
        yield return ["metrics rows",
            $"{history.Train.Count} training, {history.Evals.Count} evaluation, {history.Gradients.Count} gradient"];
        if (last is not null)
            yield return ["median and mean normalised score", $"{F(last.MedianScore)}, {F(last.MeanScore)}"];
    }

    private static IEnumerable<IReadOnlyList<string>> Now(RunHistory history, IReadOnlyList<string> games)
    {
        var last = history.Last;
        foreach (var env in games)
        {
            var g = last?.Games.FirstOrDefault(x => x.Env == env);
            var anchors = ReferenceScores.For(env);
            bool worst = last?.WorstGame == env;
            string?[] marks = [worst ? "worst" : null, g?.Regressing == true ? "regressing" : null, g?.Stalled == true ? "stalled" : null];
            var flags = string.Join(", ", marks.OfType<string>());
            yield return [TransferStudy.ShortName(env), g is null ? "0" : $"{g.Episodes:N0}", F(g?.Return), F(anchors?.Reference, "0.#"),
                F(anchors?.Random), (worst ? "!" : "") + F(g?.NormalizedScore), F(g?.Loss, "G4"), F(g?.PopArtSigma, "G4"), F(g?.TaskWeight),
                flags.Length > 0 ? "!" + flags : ""];
        }
    }

    private static string F(double? value, string format = "F2") => ReportPage.Number(value, format);

    // The manifest's ISO 8601 time, to the second.
    private static string Written(string? utc) =>
        DateTime.TryParse(utc, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : utc ?? "-";

    private static IEnumerable<IReadOnlyList<string>> Checkpoints(RunDirectory run)
    {
        var latest = File.Exists(run.Checkpoints.LatestPath) ? File.ReadAllText(run.Checkpoints.LatestPath).Trim() : null;
        foreach (var (frames, dir) in run.Checkpoints.All())
        {
            var name = Path.GetFileName(dir);
            long bytes = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            string updates = "-", written = "-";
            if (File.Exists(Path.Combine(dir, CheckpointFormat.Manifest)))
            {
                try
                {
                    var manifest = CheckpointManifest.Read(dir);
                    (updates, written) = ($"{manifest.Updates:N0}", Written(manifest.WrittenUtc));
                }
                catch (CheckpointException e)
                {
                    written = "!" + e.Message;
                }
            }
            else updates = "(schema 1)";
            yield return [name, $"{frames:N0}", updates, $"{bytes / 1e6:F1} MB", written, name == latest ? "latest" : ""];
        }
    }
}
