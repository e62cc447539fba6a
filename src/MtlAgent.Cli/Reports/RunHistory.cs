using System.Text.Json;
using MtlAgent.Agent.Runs;

namespace MtlAgent.Cli.Reports;

/// <summary>One game of a training row (README, "Metrics"); null where the row has null (unknown or not finite).</summary>
/// <param name="Env">Env id.</param>
/// <param name="Episodes">Training episodes finished.</param>
/// <param name="Return">Mean return of the last 100 training episodes.</param>
/// <param name="NormalizedScore">Its normalised score.</param>
/// <param name="Loss">Mean TD loss over the interval's updates.</param>
/// <param name="PopArtSigma">PopArt scale of the game's targets.</param>
/// <param name="TaskWeight">The game's loss weight.</param>
/// <param name="Regressing">The worst-case monitor's regression flag.</param>
/// <param name="Stalled">The worst-case monitor's stall flag.</param>
public sealed record GameRow(string Env, long Episodes, double? Return, double? NormalizedScore, double? Loss, double? PopArtSigma,
    double? TaskWeight, bool Regressing, bool Stalled);

/// <summary>One training row (<c>"kind":"train"</c>).</summary>
/// <param name="Frames">Frames per game.</param>
/// <param name="Updates">Learner updates so far.</param>
/// <param name="WallSeconds">Training time so far, across resumes.</param>
/// <param name="FramesPerSecond">Frames per second, all games together, over the interval.</param>
/// <param name="WorstGame">Env id of the game with the lowest normalised score, if known.</param>
/// <param name="WorstScore">Its score.</param>
/// <param name="MedianScore">Median normalised score over the games.</param>
/// <param name="MeanScore">Mean normalised score over the games.</param>
/// <param name="Games">The games, in config order.</param>
public sealed record TrainRow(long Frames, long Updates, double WallSeconds, double FramesPerSecond, string? WorstGame,
    double? WorstScore, double? MedianScore, double? MeanScore, IReadOnlyList<GameRow> Games);

/// <summary>One game of an evaluation row (<c>"kind":"eval"</c>).</summary>
/// <param name="Env">Env id.</param>
/// <param name="ReturnMean">Mean return of the evaluation episodes.</param>
/// <param name="ReturnSem">Its standard error.</param>
public sealed record EvalGame(string Env, double? ReturnMean, double? ReturnSem);

/// <summary>One evaluation row: frames per game and its games.</summary>
/// <param name="Frames">Frames per game at the evaluation.</param>
/// <param name="Games">The games evaluated.</param>
public sealed record EvalRow(long Frames, IReadOnlyList<EvalGame> Games);

/// <summary>One gradient-conflict row: frames per game and the share of game pairs with a negative cosine.</summary>
/// <param name="Frames">Frames per game at the measurement.</param>
/// <param name="ConflictShare">Share of pairs in conflict, if known.</param>
public sealed record GradientPoint(long Frames, double? ConflictShare);

/// <summary>
/// A run's <c>metrics.jsonl</c> (read by <see cref="MetricsLog.Read"/>) as typed rows of each kind, in file order; the raw
/// gradient rows are kept for <see cref="Agent.Studies.TaskAffinity.Average"/>.
/// </summary>
public sealed record RunHistory(IReadOnlyList<TrainRow> Train, IReadOnlyList<EvalRow> Evals, IReadOnlyList<GradientPoint> Gradients,
    IReadOnlyList<JsonElement> GradientRows)
{
    /// <summary>Reads the metrics of <paramref name="run"/>; an absent file is an empty history (a run that has just started).</summary>
    public static RunHistory Read(RunDirectory run)
    {
        var train = new List<TrainRow>();
        var evals = new List<EvalRow>();
        var gradients = new List<GradientPoint>();
        var gradientRows = new List<JsonElement>();
        foreach (var row in new MetricsLog(run.MetricsPath).Read())
        {
            long frames = row.GetProperty("frames_per_game").GetInt64();
            switch (row.TryGetProperty("kind", out var kind) ? kind.GetString() : null)
            {
                case "train":
                    train.Add(new TrainRow(frames, row.GetProperty("updates").GetInt64(), row.GetProperty("wall_seconds").GetDouble(),
                        row.GetProperty("frames_per_second").GetDouble(), Text(row, "worst_game"), Number(row, "worst_score"),
                        Number(row, "median_score"), Number(row, "mean_score"),
                        row.GetProperty("games").EnumerateArray().Select(Game).ToList()));
                    break;
                case "eval":
                    evals.Add(new EvalRow(frames, row.GetProperty("games").EnumerateArray()
                        .Select(g => new EvalGame(g.GetProperty("env").GetString()!, Number(g, "return_mean"), Number(g, "return_sem")))
                        .ToList()));
                    break;
                case "gradients":
                    gradients.Add(new GradientPoint(frames, Number(row, "conflict_share")));
                    gradientRows.Add(row);
                    break;
            }
        }
        return new RunHistory(train, evals, gradients, gradientRows);
    }

    /// <summary>The newest training row, or null before the first.</summary>
    public TrainRow? Last => Train.Count > 0 ? Train[^1] : null;

    private static GameRow Game(JsonElement g) =>
        new(g.GetProperty("env").GetString()!, g.GetProperty("episodes").GetInt64(), Number(g, "return"), Number(g, "normalized_score"),
            Number(g, "loss"), Number(g, "popart_sigma"), Number(g, "task_weight"), Flag(g, "regressing"), Flag(g, "stalled"));

    private static bool Flag(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static double? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
