using System.Text.Json;

namespace MtlAgent.Agent.Runs.TensorBoard;

/// <summary>
/// The TensorBoard scalars of one <c>metrics.jsonl</c> row, read from the row's own JSON so the two outputs cannot
/// disagree: the step is the row's <c>frames_per_game</c>, and tags are grouped by game (<c>Breakout-v0/return</c>) or
/// under <c>overall/</c> and <c>gradients/</c>, TensorBoard grouping its panels by the part before the first '/'.
/// Unknown (null) values have no scalar. README.md, "TensorBoard", lists the tags.
/// </summary>
public static class RowScalars
{
    // The across-games figures of each kind of row; the rest of its top-level numbers describe the protocol or the step.
    private static readonly string[] TrainOverall =
        ["updates", "wall_seconds", "frames_per_second", "worst_score", "median_score", "mean_score"];
    private static readonly string[] EvalOverall = ["worst_score", "median_score", "mean_score"];

    /// <summary>The step and the (tag, value) scalars of <paramref name="row"/>; none for a kind of row it does not know.</summary>
    public static (long Step, IReadOnlyList<(string Tag, float Value)> Scalars) Of(JsonElement row)
    {
        long step = row.GetProperty("frames_per_game").GetInt64();
        var scalars = new List<(string, float)>();
        switch (row.GetProperty("kind").GetString())
        {
            case "train":
                Overall(row, TrainOverall, "", scalars);
                Games(row, "", scalars);
                break;
            case "eval":
                Overall(row, EvalOverall, "eval_", scalars);
                Games(row, "eval_", scalars);
                break;
            case "gradients":
                Gradients(row, scalars);
                break;
        }
        return (step, scalars);
    }

    /// <summary>The group of a game's tags: its env id without the suite (<c>MinAtar/Breakout-v0</c> -> <c>Breakout-v0</c>).</summary>
    public static string Game(string env) => env[(env.LastIndexOf('/') + 1)..];

    private static void Overall(JsonElement row, string[] keys, string prefix, List<(string, float)> scalars)
    {
        foreach (var key in keys)
            if (row.TryGetProperty(key, out var value)) Add(scalars, $"overall/{prefix}{key}", value);
    }

    // Every number of a game's object (flags as 0 or 1) under the game's group, so new per-game keys need no change here.
    private static void Games(JsonElement row, string prefix, List<(string, float)> scalars)
    {
        if (!row.TryGetProperty("games", out var games)) return;
        foreach (var game in games.EnumerateArray())
        {
            var group = Game(game.GetProperty("env").GetString()!);
            foreach (var p in game.EnumerateObject()) Add(scalars, $"{group}/{prefix}{p.Name}", p.Value);
        }
    }

    private static void Gradients(JsonElement row, List<(string, float)> scalars)
    {
        var games = row.GetProperty("games").EnumerateArray().Select(g => Game(g.GetString()!)).ToArray();
        var norms = row.GetProperty("norms").EnumerateArray().ToArray();
        var decreases = row.GetProperty("loss_decreases").EnumerateArray().ToArray();
        for (int i = 0; i < games.Length; i++)
        {
            Add(scalars, $"{games[i]}/gradient_norm", norms[i]);
            Add(scalars, $"{games[i]}/loss_decrease", decreases[i]);
        }
        Add(scalars, "gradients/conflict_share", row.GetProperty("conflict_share"));
        Add(scalars, "gradients/most_conflicting_cosine", row.GetProperty("most_conflicting").GetProperty("cosine"));
        Add(scalars, "gradients/worst_loss_decrease", row.GetProperty("worst_loss_decrease").GetProperty("value"));
        var cosines = row.GetProperty("cosines").EnumerateArray().Select(r => r.EnumerateArray().ToArray()).ToArray();
        for (int i = 0; i < games.Length; i++)
            for (int j = i + 1; j < games.Length; j++) Add(scalars, $"gradients/cosine/{games[i]}/{games[j]}", cosines[i][j]);
    }

    private static void Add(List<(string, float)> scalars, string tag, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number: scalars.Add((tag, (float)value.GetDouble())); break;
            case JsonValueKind.True: scalars.Add((tag, 1)); break;
            case JsonValueKind.False: scalars.Add((tag, 0)); break;
            case JsonValueKind.Array:                       // e.g. expert_usage: one tag per element, expert_usage/0, ...
                int i = 0;
                foreach (var element in value.EnumerateArray()) Add(scalars, $"{tag}/{i++}", element);
                break;
        }
    }
}
