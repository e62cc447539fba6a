namespace MtlAgent.Agent.Configuration;

/// <summary>
/// Everything that defines a multi-game training run. Immutable; YAML keys are the snake_case
/// forms of the property paths (<c>learner.learning_rate</c>), and <c>--set key=value</c> uses the same paths.
/// Defaults are the MinAtar reference DQN (examples/dqn.py) on all five games.
/// </summary>
public sealed record TrainConfig
{
    /// <summary>Environment ids trained together, one head each (registry ids, e.g. MinAtar/Breakout-v0).</summary>
    public IReadOnlyList<string> Games { get; init; } = DefaultGames;

    /// <summary>Environment frames per game for the whole run (MinAtar NUM_FRAMES: 5,000,000).</summary>
    public long Frames { get; init; } = 5_000_000;

    /// <summary>Master seed: environments, exploration, replay sampling and network initialisation derive from it.</summary>
    public int Seed { get; init; } = 0;

    /// <summary>Compute device: <c>cpu</c> or <c>cuda</c>.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>libtorch intra-op threads. Results are bitwise reproducible for a given count, but differ between counts.</summary>
    public int TorchThreads { get; init; } = 2;

    /// <summary>Game options shared by every environment of the run.</summary>
    public EnvConfig Env { get; init; } = new();

    /// <summary>Shape of the multi-task Q-network.</summary>
    public NetworkConfig Network { get; init; } = new();

    /// <summary>Replay buffer per game.</summary>
    public ReplayConfig Replay { get; init; } = new();

    /// <summary>DQN update rule and optimizer.</summary>
    public LearnerConfig Learner { get; init; } = new();

    /// <summary>Epsilon-greedy exploration schedule.</summary>
    public ExplorationConfig Exploration { get; init; } = new();

    /// <summary>Per-game PopArt normalisation of value targets.</summary>
    public PopArtConfig PopArt { get; init; } = new();

    /// <summary>How games share acting frames and the loss.</summary>
    public TaskConfig Tasks { get; init; } = new();

    /// <summary>Worst-case monitoring of normalised scores.</summary>
    public MonitorConfig Monitor { get; init; } = new();

    /// <summary>Logging, metrics, evaluation and checkpoint cadence.</summary>
    public RunConfig Run { get; init; } = new();

    /// <summary>The five MinAtar games with the full six-action set, as in every published MinAtar result.</summary>
    public static readonly IReadOnlyList<string> DefaultGames =
    [
        "MinAtar/Breakout-v0", "MinAtar/Asterix-v0", "MinAtar/Freeway-v0",
        "MinAtar/Seaquest-v0", "MinAtar/SpaceInvaders-v0",
    ];
}
