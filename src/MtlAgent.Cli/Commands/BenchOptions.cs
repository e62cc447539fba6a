using System.CommandLine;
using MtlAgent.Agent.Configuration;

namespace MtlAgent.Cli.Commands;

/// <summary>The options shared by <c>mtl bench learner</c> and <c>mtl bench train</c>, and the settings they time.</summary>
public sealed class BenchOptions
{
    private readonly Option<double> _seconds;
    private readonly Option<string> _device;
    private readonly Option<string?> _preset;
    private readonly Option<int?> _threads;
    private readonly Option<string[]> _set;

    /// <summary>--seconds (per case), --json FILE, --device cpu|cuda, --preset NAME, --set key=value, --torch-threads N.</summary>
    public BenchOptions(double defaultSeconds)
    {
        _seconds = new Option<double>("--seconds")
        {
            HelpName = "N", Description = "Timed seconds per case", DefaultValueFactory = _ => defaultSeconds,
        };
        Json = new Option<string?>("--json") { HelpName = "FILE", Description = "Also write {\"benchmarks\":[...]} to this file" };
        _device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        _device.AcceptOnlyFromAmong([.. ConfigValidator.Devices]);
        _preset = new Option<string?>("--preset")
        {
            HelpName = "NAME",
            Description = $"Time a preset's settings ({string.Join(", ", Presets.Names)}) instead of the reference DQN settings",
        };
        _set = SetOption.Create(
            "Override one setting of the preset by dotted key, e.g. --set network.sharing=separate (repeatable; needs --preset)");
        _threads = new Option<int?>("--torch-threads")
        {
            HelpName = "N", Description = "libtorch intra-op threads (default: the settings' torch_threads)",
        };
    }

    /// <summary>--json FILE.</summary>
    public Option<string?> Json { get; }

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { _seconds, Json, _device, _preset, _set, _threads }) command.Options.Add(o);
    }

    /// <summary>Checked --seconds.</summary>
    public double Seconds(ParseResult parse) =>
        parse.GetValue(_seconds) is var s && s > 0
            ? s
            : throw new ArgumentException($"--seconds must be positive, got {parse.GetValue(_seconds)}");

    /// <summary>Name of the settings timed: the preset and its overrides, or "reference".</summary>
    public string SettingsName(ParseResult parse) =>
        string.Join(" ", [parse.GetValue(_preset) ?? "reference", .. parse.GetValue(_set) ?? []]);

    /// <summary>
    /// The settings timed for the first <paramref name="games"/> MinAtar games: the reference DQN settings (one update of
    /// batch 32 per game per frame, plain max targets, PopArt off) or the named preset's, with learning starting after
    /// 1,000 frames so the timed part comes quickly. <c>--set</c> overrides apply to the preset only.
    /// </summary>
    public TrainConfig Settings(ParseResult parse, int games)
    {
        var preset = parse.GetValue(_preset);
        var overrides = parse.GetValue(_set) ?? [];
        if (preset is null && overrides.Length > 0)
            throw new ArgumentException(
                "--set needs --preset: the reference settings are fixed; start from a preset, e.g. --preset minatar5");
        var config = preset is null
            ? new TrainConfig
            {
                TorchThreads = 1,
                Learner = new LearnerConfig { DoubleDqn = false },
                PopArt = new PopArtConfig { Enabled = false },
            }
            : overrides.Aggregate(new ConfigBuilder().AddPreset(preset), (b, o) => b.Set(o)).Build();
        config = config with
        {
            Games = TrainConfig.DefaultGames.Take(games).ToArray(),
            Device = ConfigChoices.Parse<ComputeDevice>(parse.GetValue(_device)!, "--device"),
            TorchThreads = parse.GetValue(_threads) ?? config.TorchThreads,
            Learner = config.Learner with { LearningStarts = Math.Min(config.Learner.LearningStarts, 1_000) },
            Exploration = config.Exploration with { RandomFrames = Math.Min(config.Exploration.RandomFrames, 1_000) },
            Tasks = config.Tasks with { GameWeights = null },
        };
        ConfigValidator.Validate(config);
        return config;
    }
}
