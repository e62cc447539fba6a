using System.Globalization;
using System.Text;
using System.Text.Json;
using MtlAgent.Agent.Evaluation;
using MtlAgent.Agent.IO;
using MtlAgent.Agent.Monitoring;
using MtlAgent.Agent.Runs.TensorBoard;
using MtlAgent.Agent.Training;

namespace MtlAgent.Agent.Runs;

/// <summary>
/// The run's <c>metrics.jsonl</c>: one JSON object per log interval (<c>"kind":"train"</c>) and one per evaluation during
/// training (<c>"kind":"eval"</c>) and one per gradient-conflict measurement (<c>"kind":"gradients"</c>); schema in
/// README.md, "Metrics".
/// Rows are appended and flushed; on resume, rows past the checkpoint are dropped so the stream
/// continues without gaps or repeats. With <paramref name="tensorBoard"/>, each row, once written, also goes to the run's
/// TensorBoard event files as the same figures.
/// </summary>
public sealed class MetricsLog(string path, TensorBoardLog? tensorBoard = null)
{
    /// <summary>Version of the row layout, written into every row.</summary>
    public const int SchemaVersion = 1;

    /// <summary>The file.</summary>
    public string Path { get; } = path;

    /// <summary>
    /// Appends one training row; its losses are the means over the updates since <paramref name="previous"/> (the last row's snapshot).
    /// </summary>
    public void Append(TrainingSnapshot s, TrainingSnapshot? previous, double framesPerSecond, double wallSeconds) =>
        AppendLine(Row(s, previous, framesPerSecond, wallSeconds));

    /// <summary>
    /// Appends one evaluation row (<c>"kind":"eval"</c>): the <c>mtl eval</c> document of the live network, with the run's clock.
    /// </summary>
    public void AppendEvaluation(EvaluationReport report, EvaluationOptions options, double wallSeconds) =>
        AppendLine(EvaluationRow(report, options, wallSeconds));

    /// <summary>Appends one gradient-conflict row (<c>"kind":"gradients"</c>), measured at <paramref name="framesPerGame"/>.</summary>
    public void AppendGradients(GradientConflict gradients, long framesPerGame, double wallSeconds) =>
        AppendLine(GradientRow(gradients, framesPerGame, wallSeconds));

    private void AppendLine(string row)
    {
        using (var stream = new FileStream(Path, FileMode.Append, FileAccess.Write))
            stream.Write(Encoding.UTF8.GetBytes(row + "\n"));
        tensorBoard?.Append(row);
    }

    /// <summary>Keeps only complete rows with <c>frames_per_game</c> at most <paramref name="framesPerGame"/> (atomic rewrite).</summary>
    public void TruncateAfter(long framesPerGame)
    {
        if (!File.Exists(Path)) return;
        var kept = new StringBuilder();
        foreach (var (line, row) in CompleteRows())
            if (row.ValueKind == JsonValueKind.Object && row.TryGetProperty("frames_per_game", out var frames)
                && frames.ValueKind == JsonValueKind.Number
                && frames.TryGetInt64(out var f) && f <= framesPerGame)
                kept.Append(line).Append('\n');
        Durable.WriteAllText(Path, kept.ToString());
    }

    /// <summary>Reads every complete row (for tests and tools such as <c>mtl report</c>); a torn line left by a kill is skipped.</summary>
    public IReadOnlyList<JsonElement> Read() => File.Exists(Path) ? CompleteRows().Select(r => r.Row).ToList() : [];

    // A kill -9 can leave a torn last line: it is not a row.
    private IEnumerable<(string Line, JsonElement Row)> CompleteRows()
    {
        foreach (var line in File.ReadLines(Path))
        {
            JsonElement row;
            try
            {
                using var doc = JsonDocument.Parse(line);
                row = doc.RootElement.Clone();
            }
            catch (JsonException)
            {
                continue;
            }
            yield return (line, row);
        }
    }

    /// <summary>One training row as a single line of JSON (losses: means over the updates since <paramref name="previous"/>).</summary>
    public static string Row(TrainingSnapshot s, TrainingSnapshot? previous, double framesPerSecond, double wallSeconds)
    {
        var losses = s.LossesSince(previous);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            Header(w, "train", s.FramesPerGame);
            w.WriteNumber("frames_total", s.FramesPerGame * s.Games.Count);
            w.WriteNumber("updates", s.Updates);
            w.WriteNumber("wall_seconds", Math.Round(wallSeconds, 3));
            w.WriteNumber("frames_per_second", Math.Round(framesPerSecond, 1));
            w.WriteString("worst_game", s.WorstGame);
            Number(w, "worst_score", s.WorstScore);
            Number(w, "median_score", s.MedianScore);
            Number(w, "mean_score", s.MeanScore);
            w.WriteStartArray("games");
            for (int i = 0; i < s.Games.Count; i++)
            {
                var g = s.Games[i];
                w.WriteStartObject();
                w.WriteString("env", g.Env);
                w.WriteNumber("episodes", g.Episodes);
                Number(w, "return", g.RecentReturn);
                Number(w, "normalized_score", g.NormalizedScore);
                Number(w, "epsilon", g.Epsilon);
                Number(w, "loss", losses[i]);
                Number(w, "popart_mu", g.PopArtMu);
                Number(w, "popart_sigma", g.PopArtSigma);
                Number(w, "task_weight", g.TaskWeight);
                w.WriteBoolean("regressing", g.Regressing);
                w.WriteBoolean("stalled", g.Stalled);
                if (g.ExpertUsage is { } usage) Numbers(w, "expert_usage", usage);        // trunk: moe only
                if (g.GateEntropy is { } entropy) Number(w, "gate_entropy", entropy);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>One evaluation row as a single line of JSON.</summary>
    public static string EvaluationRow(EvaluationReport report, EvaluationOptions options, double wallSeconds)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            Header(w, "eval", report.Frames);
            w.WriteNumber("wall_seconds", Math.Round(wallSeconds, 3));
            w.WriteNumber("episodes", options.Episodes);
            w.WriteNumber("epsilon", options.Epsilon);
            w.WriteNumber("max_episode_steps", options.MaxEpisodeSteps);
            w.WriteString("worst_game", report.Worst.Env);
            Number(w, "worst_score", report.Worst.NormalizedScore);
            Number(w, "median_score", report.MedianNormalizedScore);
            Number(w, "mean_score", report.MeanNormalizedScore);
            w.WriteStartArray("games");
            foreach (var g in report.Games)
            {
                w.WriteStartObject();
                w.WriteString("env", g.Env);
                Number(w, "return_mean", g.ReturnMean);
                Number(w, "return_sem", g.ReturnSem);
                Number(w, "return_median", g.ReturnMedian);
                Number(w, "normalized_score", g.NormalizedScore);
                w.WriteNumber("truncated", g.Truncated);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>One gradient-conflict row as a single line of JSON.</summary>
    public static string GradientRow(GradientConflict g, long framesPerGame, double wallSeconds)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            Header(w, "gradients", framesPerGame);
            w.WriteNumber("updates", g.Updates);
            w.WriteNumber("wall_seconds", Math.Round(wallSeconds, 3));
            w.WriteStartArray("games");
            foreach (var env in g.Games) w.WriteStringValue(env);
            w.WriteEndArray();
            Numbers(w, "norms", g.Norms);
            w.WriteStartArray("cosines");
            foreach (var row in g.Cosines) Numbers(w, null, row);
            w.WriteEndArray();
            Numbers(w, "loss_decreases", g.LossDecreases);
            Number(w, "conflict_share", g.ConflictShare);
            var (first, second, cosine) = g.MostConflicting;
            w.WriteStartObject("most_conflicting");
            w.WriteStartArray("games");
            w.WriteStringValue(g.Games[first]);
            w.WriteStringValue(g.Games[second]);
            w.WriteEndArray();
            Number(w, "cosine", cosine);
            w.WriteEndObject();
            var (worst, decrease) = g.Worst;
            w.WriteStartObject("worst_loss_decrease");
            w.WriteString("env", g.Games[worst]);
            Number(w, "value", decrease);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Numbers(Utf8JsonWriter w, string? name, IEnumerable<double> values)
    {
        if (name is null) w.WriteStartArray();
        else w.WriteStartArray(name);
        foreach (var v in values)
        {
            if (double.IsFinite(v)) w.WriteNumberValue(v);
            else w.WriteNullValue();
        }
        w.WriteEndArray();
    }

    private static void Header(Utf8JsonWriter w, string kind, long framesPerGame)
    {
        w.WriteNumber("schema", SchemaVersion);
        w.WriteString("kind", kind);
        w.WriteString("time", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        w.WriteNumber("frames_per_game", framesPerGame);
    }

    // JSON has no NaN or infinity: such values are written as null.
    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v)) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }
}
