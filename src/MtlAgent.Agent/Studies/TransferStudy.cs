using System.Text.Json;
using MtlAgent.Agent.Checkpoints;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.IO;

namespace MtlAgent.Agent.Studies;

/// <summary>One training run of a study: its directory (relative to the study's), seed and games (null: the preset's).</summary>
/// <param name="Name">Directory name under the study, e.g. <c>seed-0/multi</c> or <c>seed-0/single-Breakout-v0</c>.</param>
/// <param name="Seed">The run's master seed: the study seed itself.</param>
/// <param name="Game">The one game of a single-game baseline; null for the multi-game run.</param>
public sealed record StudyRun(string Name, int Seed, string? Game)
{
    /// <summary>Whether this is the multi-game run of its seed.</summary>
    public bool IsMulti => Game is null;
}

/// <summary>How far a study run has got.</summary>
public enum StudyRunState
{
    /// <summary>No run directory yet.</summary>
    NotStarted,
    /// <summary>Started, with or without a checkpoint, short of the study's frames.</summary>
    Unfinished,
    /// <summary>Its latest checkpoint is at the study's frames per game (or beyond).</summary>
    Finished,
}

/// <summary>
/// The transfer study of a preset (<c>mtl study transfer</c>): for each seed, the multi-game run and one single-game run
/// per game, all with the same settings but the game list, at equal frames per game. Every run of seed s uses seed s
/// itself, so a single-game baseline is the same run whichever study it belongs to, and two studies with the same seeds
/// give the same numbers. Runs use a fixed number of torch threads (results are bitwise reproducible per thread count
/// only), whatever <c>--jobs</c> runs side by side. Kept as <c>study.json</c> in the study directory.
/// </summary>
public sealed record TransferStudy
{
    /// <summary>File that describes a study in its directory.</summary>
    public const string FileName = "study.json";

    /// <summary>Always "transfer".</summary>
    public string Kind { get; init; } = "transfer";
    /// <summary>The preset every run starts from.</summary>
    public required string Preset { get; init; }
    /// <summary>Frames per game of every run.</summary>
    public long Frames { get; init; }
    /// <summary>Study seeds; each gives one multi-game run and one single-game run per game.</summary>
    public required IReadOnlyList<int> Seeds { get; init; }
    /// <summary><c>--set key=value</c> assignments applied to every run.</summary>
    public required IReadOnlyList<string> Sets { get; init; }
    /// <summary>torch intra-op threads of every run.</summary>
    public int TorchThreads { get; init; } = 1;
    /// <summary>The games of the multi-game run (the preset's, after the sets).</summary>
    public required IReadOnlyList<string> Games { get; init; }

    private static readonly JsonSerializerOptions Json =
        new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Builds a study, resolving the preset with the sets to learn its games (and to check the settings now).</summary>
    public static TransferStudy Plan(string preset, long? frames, IReadOnlyList<int> seeds, IReadOnlyList<string> sets, int torchThreads)
    {
        if (seeds.Count == 0) throw new ArgumentException("--seeds: at least one seed is needed");
        if (seeds.Distinct().Count() != seeds.Count)
            throw new ArgumentException($"--seeds: each seed may appear once ({string.Join(",", seeds)})");
        var config = Resolve(preset, sets, frames, seeds[0], null, torchThreads);
        if (config.Games.Count < 2)
            throw new ArgumentException($"preset '{preset}' trains {config.Games.Count} game; a transfer study needs a multi-game preset");
        return new TransferStudy
        {
            Preset = preset, Frames = config.Frames, Seeds = seeds, Sets = sets, TorchThreads = torchThreads, Games = config.Games,
        };
    }

    /// <summary>Every run, seed by seed: the multi-game run first, then the single-game baselines in game order.</summary>
    public IReadOnlyList<StudyRun> Runs() =>
        Seeds.SelectMany(s => new[] { new StudyRun($"seed-{s}/multi", s, null) }
            .Concat(Games.Select(g => new StudyRun($"seed-{s}/single-{ShortName(g)}", s, g)))).ToList();

    /// <summary>The resolved configuration of <paramref name="run"/> (what <c>mtl train</c> will use).</summary>
    public TrainConfig ConfigOf(StudyRun run) => Resolve(Preset, Sets, Frames, run.Seed, run.Game, TorchThreads);

    /// <summary>The <c>mtl train</c> arguments that start <paramref name="run"/> in <paramref name="runDirectory"/>.</summary>
    public IReadOnlyList<string> TrainArguments(StudyRun run, string runDirectory)
    {
        var args = new List<string>
        {
            "train", "--preset", Preset, "--frames", Frames.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--seed", run.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--run-dir", runDirectory };
        foreach (var s in Sets) args.AddRange(["--set", s]);
        args.AddRange(["--set", $"torch_threads={TorchThreads}"]);
        if (run.Game is { } game) args.AddRange(["--games", game]);
        return args;
    }

    /// <summary>How far the run in <paramref name="runDirectory"/> has got.</summary>
    public StudyRunState StateOf(string runDirectory)
    {
        var store = new CheckpointStore(runDirectory);
        if (!Directory.Exists(runDirectory) || !File.Exists(Path.Combine(runDirectory, "config.yaml"))) return StudyRunState.NotStarted;
        var latest = store.Latest();
        return latest is not null && CheckpointStore.FramesOf(latest) >= Frames ? StudyRunState.Finished : StudyRunState.Unfinished;
    }

    /// <summary>Writes <c>study.json</c> (atomically).</summary>
    public void Save(string directory) =>
        Durable.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>Reads <c>study.json</c> of <paramref name="directory"/>, or null when there is none.</summary>
    public static TransferStudy? Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<TransferStudy>(File.ReadAllText(path), Json) ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw new InvalidDataException($"{path} is not a study description: {e.Message}", e); }
    }

    /// <summary>Whether <paramref name="other"/> describes the same runs (a restarted study must not change them).</summary>
    public bool SameRunsAs(TransferStudy other) =>
        Preset == other.Preset && Frames == other.Frames && Seeds.SequenceEqual(other.Seeds) && Sets.SequenceEqual(other.Sets)
        && TorchThreads == other.TorchThreads && Games.SequenceEqual(other.Games);

    /// <summary>An env id without its <c>MinAtar/</c> prefix: <c>Breakout-v0</c>.</summary>
    public static string ShortName(string env) =>
        env.StartsWith("MinAtar/", StringComparison.Ordinal) ? env["MinAtar/".Length..] : env.Replace('/', '-');

    private static TrainConfig Resolve(string preset, IReadOnlyList<string> sets, long? frames, int seed, string? game, int torchThreads)
    {
        var builder = new ConfigBuilder().AddPreset(preset);
        foreach (var s in sets) builder.Set(s);
        if (frames is { } f) builder.Set("frames", f.ToString(System.Globalization.CultureInfo.InvariantCulture), "--frames");
        builder.Set("seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seeds");
        builder.Set("torch_threads", torchThreads.ToString(System.Globalization.CultureInfo.InvariantCulture), "--torch-threads");
        if (game is not null) builder.SetList("games", [game], "study");
        return builder.Build();
    }
}
