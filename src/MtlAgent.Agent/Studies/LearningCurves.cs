using System.Text.Json;

namespace MtlAgent.Agent.Studies;

/// <summary>One point of a learning curve: frames per game and the mean return of the last 100 training episodes.</summary>
public readonly record struct CurvePoint(long Frames, double? Return);

/// <summary>
/// A run's training curves read back from its <c>metrics.jsonl</c>: per game, the <c>return</c> of every training row
/// (the MinAtar paper's metric), and the run's gradient rows (<c>"kind":"gradients"</c>), if any.
/// </summary>
public sealed class LearningCurves
{
    private LearningCurves(string runDirectory, IReadOnlyDictionary<string, IReadOnlyList<CurvePoint>> games,
        IReadOnlyList<JsonElement> gradients)
    {
        RunDirectory = runDirectory;
        Games = games;
        GradientRows = gradients;
    }

    /// <summary>The run directory read.</summary>
    public string RunDirectory { get; }

    /// <summary>Each game's curve by env id, in frame order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<CurvePoint>> Games { get; }

    /// <summary>The run's gradient rows, in order.</summary>
    public IReadOnlyList<JsonElement> GradientRows { get; }

    /// <summary>Reads <c>metrics.jsonl</c> of <paramref name="runDirectory"/>; a torn last line (a kill) is skipped.</summary>
    public static LearningCurves Read(string runDirectory)
    {
        var path = Path.Combine(runDirectory, "metrics.jsonl");
        if (!File.Exists(path)) throw new FileNotFoundException($"run '{runDirectory}' has no metrics.jsonl", path);
        var games = new Dictionary<string, List<CurvePoint>>();
        var gradients = new List<JsonElement>();
        foreach (var line in File.ReadLines(path))
        {
            JsonElement row;
            try { row = JsonDocument.Parse(line).RootElement.Clone(); }
            catch (JsonException) { continue; }
            var kind = row.TryGetProperty("kind", out var k) ? k.GetString() : null;
            if (kind == "gradients") { gradients.Add(row); continue; }
            if (kind != "train") continue;
            long frames = row.GetProperty("frames_per_game").GetInt64();
            foreach (var g in row.GetProperty("games").EnumerateArray())
            {
                var env = g.GetProperty("env").GetString()!;
                var r = g.GetProperty("return");
                if (!games.TryGetValue(env, out var curve)) games[env] = curve = [];
                curve.Add(new CurvePoint(frames, r.ValueKind == JsonValueKind.Number ? r.GetDouble() : null));
            }
        }
        return new LearningCurves(runDirectory, games.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<CurvePoint>)kv.Value), gradients);
    }
}
