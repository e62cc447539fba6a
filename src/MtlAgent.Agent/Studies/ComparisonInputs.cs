using MtlAgent.Agent.Configuration;

namespace MtlAgent.Agent.Studies;

/// <summary>
/// The runs a comparison reads: multi-game runs by seed and single-game baselines by game and seed, found in a study
/// directory (its <c>study.json</c>) or among run directories given one by one (each described by its <c>config.yaml</c>:
/// a run of one game is a baseline, a run of several is a multi-game run).
/// </summary>
public sealed record ComparisonInputs(IReadOnlyList<string> Games, IReadOnlyDictionary<int, LearningCurves> Multi,
    IReadOnlyDictionary<string, IReadOnlyDictionary<int, IReadOnlyList<CurvePoint>>> Single)
{
    /// <summary>The runs of <paramref name="paths"/>: one study directory, or run directories.</summary>
    public static ComparisonInputs Load(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0) throw new ArgumentException("name a study directory or run directories to compare");
        var runs = new List<string>();
        foreach (var path in paths)
        {
            if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"'{path}' does not exist");
            if (TransferStudy.Load(path) is { } study)
                runs.AddRange(study.Runs()
                    .Select(r => Path.Combine(path, r.Name))
                    .Where(d => File.Exists(Path.Combine(d, "metrics.jsonl"))));
            else runs.Add(path);
        }
        var multi = new Dictionary<int, LearningCurves>();
        var single = new Dictionary<string, Dictionary<int, IReadOnlyList<CurvePoint>>>();
        List<string>? games = null;
        foreach (var run in runs)
        {
            var configPath = Path.Combine(run, "config.yaml");
            if (!File.Exists(configPath))
                throw new FileNotFoundException(
                    $"'{run}' is neither a study (no {TransferStudy.FileName}) nor a run (no config.yaml)", configPath);
            var config = new ConfigBuilder().AddFile(configPath).Build();
            var curves = LearningCurves.Read(run);
            if (config.Games.Count > 1)
            {
                if (games is not null && !games.SequenceEqual(config.Games))
                    throw new ArgumentException(
                        $"multi-game runs of different games: [{string.Join(", ", games)}] and [" +
                        $"{string.Join(", ", config.Games)}] ({run})");
                games = config.Games.ToList();
                if (!multi.TryAdd(config.Seed, curves)) throw new ArgumentException($"two multi-game runs with seed {config.Seed} ({run})");
            }
            else
            {
                var game = config.Games[0];
                if (!single.TryGetValue(game, out var bySeed)) single[game] = bySeed = [];
                if (!curves.Games.TryGetValue(game, out var curve)) continue;
                if (!bySeed.TryAdd(config.Seed, curve))
                    throw new ArgumentException($"two single-game runs of {game} with seed {config.Seed} ({run})");
            }
        }
        if (games is null) throw new ArgumentException("no multi-game run among the runs given");
        if (single.Count == 0) throw new ArgumentException("no single-game baseline among the runs given");
        return new ComparisonInputs(games, multi,
            single.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<int, IReadOnlyList<CurvePoint>>)kv.Value));
    }

    /// <summary>The comparison of these runs.</summary>
    public TransferComparison Compare() => TransferComparison.Compare(Games, Multi, Single);
}
