using MtlAgent.Agent.Acting;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Engine;
using MtlAgent.Agent.Learning;
using MtlAgent.Agent.Model;
using MtlAgent.Agent.Monitoring;
using MtlAgent.Agent.Randomness;
using MtlAgent.Agent.Replay;
using MtlAgent.Agent.Schedules;
using MtlAgent.Agent.Tasks;
using MtlAgent.Envs;
using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Training;

/// <summary>
/// The training loop core. Round robin: in every step every game acts <c>EnvsPerGame</c> frames, all games' copies
/// through one batched forward of the policy, each game stepping its own vector environment; transitions go to that
/// game's replay and finished episodes to the worst-case monitor; then the update and target sync that are due run.
/// A runner (<c>Runs.TrainingRunner</c>) calls <see cref="Step"/> until the frame budget is spent.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly EnvSpec[] _specs;
    private readonly VectorEnv[] _games;             // one per game, EnvsPerGame copies each
    private readonly int[] _rowsPerGame, _actionCounts;
    private readonly int[] _actions;                  // row g * EnvsPerGame + e
    private readonly float[][] _outputs;
    private readonly ReplayBuffer[] _replays;
    private readonly ReplayBatch[] _batches;          // balanced: one of all games; round robin: one per game
    private readonly Learner _learner;
    private readonly QPolicy _policy;
    private readonly WorstCaseMonitor _monitor;
    private readonly Xoshiro256[] _actingRngs, _replayRngs;   // one stream each per game
    private readonly Func<int, ReadOnlyMemory<byte>> _observation;
    private readonly Func<int, Xoshiro256> _actingRngOfRow;
    private readonly double[] _lossTotal;
    private readonly long[] _lossUpdates;
    private double[] _taskWeights;
    private long _steps;

    /// <summary>
    /// Checks <paramref name="config"/> (once, here: throws <see cref="ConfigException"/>), then builds environments,
    /// networks, optimizer and replays, all seeded from <c>config.Seed</c>.
    /// </summary>
    public Trainer(TrainConfig config)
    {
        ConfigValidator.Validate(config);
        Config = config;
        Device = DeviceFor(config.Device);
        torch.set_num_threads(config.TorchThreads);
        // RMSprop averages of weights whose gradient stays zero decay into denormals, which slow elementwise ops down:
        // flush them on this thread, which steps and learns. It is thread-wide: .NET arithmetic here (and the JIT's
        // folding of constants in methods compiled here afterwards) flushes denormals too; nothing in training needs them.
        Denormals.FlushOnThisThread(true);

        _specs = config.Games.Select(EnvRegistry.Spec).ToArray();
        int k = _specs.Length, perGame = config.Env.EnvsPerGame;
        Channels = MultiTaskQNetwork.InputChannels(config.Network, _specs.Select(s => s.Channels));
        var options = new EnvOptions
        {
            StickyActionProb = config.Env.StickyActionProb, DifficultyRamping = config.Env.DifficultyRamping,
            MaxEpisodeSteps = config.Env.MaxEpisodeSteps,
        };
        var envSeeds = Xoshiro256.ForStream(config.Seed, "envs");
        _games = new VectorEnv[k];
        _replays = new ReplayBuffer[k];
        for (int g = 0; g < k; g++)
        {
            _games[g] = new VectorEnv(config.Games[g], perGame, options);
            _games[g].Reset(Enumerable.Range(0, perGame).Select(_ => envSeeds.NextSeed()).ToArray());
            _replays[g] = new ReplayBuffer(config.Replay.CapacityPerGame, _specs[g].Channels, perGame);
            for (int e = 0; e < perGame; e++) _replays[g].BeginEpisode(e, _games[g].ObservationOf(e).Span);
        }
        _rowsPerGame = Enumerable.Repeat(perGame, k).ToArray();
        _actionCounts = _specs.Select(s => s.ActionCount).ToArray();
        _actions = new int[k * perGame];
        _outputs = Enumerable.Range(0, k * perGame).Select(row => new float[_actionCounts[row / perGame]]).ToArray();
        _observation = row => _games[row / perGame].ObservationOf(row % perGame);

        torch.manual_seed(config.Seed);
        var gameChannels = _specs.Select(s => s.Channels).ToArray();
        var online = new MultiTaskQNetwork(config.Network, gameChannels, _actionCounts);
        var target = new MultiTaskQNetwork(config.Network, gameChannels, _actionCounts);
        online.to(Device);
        target.to(Device);
        _learner = new Learner(config, online, target, Device);
        _policy = new QPolicy(online, config.Games, _learner.PopArt, Device);
        _batches = (config.Tasks.Sampling switch
        {
            Sampling.Balanced => [BatchRows.Balanced(config.Games, config.Replay, config.Tasks)],
            Sampling.RoundRobin => Enumerable.Range(0, k).Select(g => BatchRows.OneGame(g, k, config.Replay.BatchPerGame)).ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.Tasks.Sampling, null),
        }).Select(rows => new ReplayBatch(rows, Channels, config.Learner.Gamma, Device)).ToArray();
        _monitor = new WorstCaseMonitor(config.Games, config.Monitor);
        _actingRngs = Enumerable.Range(0, k).Select(g => Xoshiro256.ForGameStream(config.Seed, "acting", g)).ToArray();
        _replayRngs = Enumerable.Range(0, k).Select(g => Xoshiro256.ForGameStream(config.Seed, "replay", g)).ToArray();
        _actingRngOfRow = row => _actingRngs[row / perGame];
        _lossTotal = new double[k];
        _lossUpdates = new long[k];
        _taskWeights = TaskWeighting.Compute(config.Tasks, _monitor.Scores());
    }

    /// <summary>The run's configuration.</summary>
    public TrainConfig Config { get; }

    /// <summary>Frames each game has acted so far.</summary>
    public long FramesPerGame { get; private set; }

    /// <summary>Gradient updates so far.</summary>
    public long Updates => _learner.Updates;

    /// <summary>The compute device.</summary>
    public Device Device { get; }

    /// <summary>Input channels of the network (largest of the games).</summary>
    public int Channels { get; }

    /// <summary>
    /// The last gradient-conflict measurement (every <c>monitor.gradient_every</c> updates of two games or more), if any.
    /// </summary>
    public GradientConflict? Gradients => _learner.Gradients;

    /// <summary>
    /// The loss weight of each game in use: learned ones (<see cref="Learner.LearnedWeighting"/>) or those of the scores.
    /// </summary>
    public IReadOnlyList<double> TaskWeights => _learner.LearnedWeighting?.Weights ?? _taskWeights;

    /// <summary>The learner (networks, optimizer, PopArt statistics).</summary>
    public Learner Learner => _learner;

    /// <summary>The online network as a policy (real units, on the trainer's device): what acts, and what evaluations play.</summary>
    public QPolicy Policy => _policy;

    /// <summary>Replay bytes per stored transition of each game (bit-packed observation stored once, action, reward, flag).</summary>
    public IReadOnlyList<int> ReplayBytesPerTransition => _replays.Select(r => r.BytesPerTransition).ToArray();

    /// <summary>Current exploration rate (the same in every game: all games have acted the same number of frames).</summary>
    public double Epsilon => EpsilonSchedule.Value(Config.Exploration, FramesPerGame);

    /// <summary>When set, every step adds its phases' times to it (for <c>mtl bench train</c>).</summary>
    public StepProfile? Profile { get; set; }

    /// <summary>
    /// One round-robin step: every game acts, its transitions are stored, and the update and target sync that are due run.
    /// </summary>
    public void Step()
    {
        long t = Profile?.Start() ?? 0;
        EpsilonGreedy.Act(_policy, _rowsPerGame, _actionCounts, _observation, Epsilon, _actingRngOfRow, _actions);
        if (Profile is not null) t = Profile.EndActing(t);
        FramesPerGame += Config.Env.EnvsPerGame;
        _steps++;
        _monitor.SetFrames(FramesPerGame);
        if (StepEveryGame()) _taskWeights = TaskWeighting.Compute(Config.Tasks, _monitor.Scores());
        if (Profile is not null) t = Profile.EndEnvironments(t);
        if (UpdateDue()) Update(t);
    }

    // Steps each game's copies with their actions; returns whether an episode ended (the monitor's scores moved).
    private bool StepEveryGame()
    {
        int perGame = Config.Env.EnvsPerGame;
        bool ended = false;
        for (int g = 0; g < _games.Length; g++)
        {
            var game = _games[g];
            game.Step(_actions.AsSpan(g * perGame, perGame));
            for (int e = 0; e < perGame; e++)
            {
                int action = _actions[g * perGame + e];
                bool done = game.Terminated[e] || game.Truncated[e];
                _replays[g].AddStep(e, action, game.Rewards[e], game.Terminated[e], done, game.NextObservationOf(e));
                if (done) _replays[g].BeginEpisode(e, game.ObservationOf(e).Span);
            }
            foreach (var end in game.EpisodeEnds)
            {
                _monitor.RecordEpisode(g, end.Return);
                ended = true;
            }
        }
        return ended;
    }

    private bool UpdateDue()
    {
        if (!Cadence.UpdateDue(Config.Learner, FramesPerGame, _steps)) return false;
        foreach (var batch in _batches)
            for (int g = 0; g < _replays.Length; g++)
                if (_replays[g].Count < batch.RowsPerGame[g]) return false;
        return true;
    }

    // Balanced: one update of all games. Round robin: one update per game, in head order.
    private void Update(long t)
    {
        foreach (var batch in _batches)
        {
            batch.Sample(_replays, _replayRngs);
            if (Profile is not null) t = Profile.EndSampling(t);
            bool probe = Cadence.GradientProbeDue(Config.Monitor, _learner.Updates + 1);
            var losses = _learner.Update(batch, _taskWeights, probe);
            if (Profile is not null) t = Profile.EndUpdate(t);
            for (int g = 0; g < losses.Count; g++)
                if (batch.RowsPerGame[g] > 0) { _lossTotal[g] += losses[g]; _lossUpdates[g]++; }
        }
    }

    /// <summary>Current figures of every game and the worst-case summary (reading them changes nothing).</summary>
    public TrainingSnapshot Snapshot()
    {
        var games = new GameSnapshot[_specs.Length];
        var weights = TaskWeights;
        var gate = _learner.Online.Gate();
        for (int g = 0; g < games.Length; g++)
        {
            var s = _monitor.Standing(g);
            games[g] = new GameSnapshot(s.Env, s.Episodes, s.RecentReturn, s.NormalizedScore, Epsilon, _lossTotal[g], _lossUpdates[g],
                _learner.PopArt.Mu(g), _learner.PopArt.Sigma(g), weights[g], s.Regressing, s.Stalled,
                gate?.Usage[g], gate?.Entropy[g]);
        }
        var (worst, worstScore, median, mean) = _monitor.Summary();
        return new TrainingSnapshot(FramesPerGame, Updates, games, worst, worstScore, median, mean);
    }

    /// <summary>Each game's replay, in head order (checkpoints save and restore them).</summary>
    internal IReadOnlyList<ReplayBuffer> Replays => _replays;

    /// <summary>Everything of the trainer's state besides tensors and replays, for checkpoints.</summary>
    internal TrainerProgress CaptureProgress() => new(FramesPerGame, Updates, _steps, States(_actingRngs), States(_replayRngs),
        Copies().Select(c => c.GetState()).ToArray(), Copies().Select(c => c.EpisodeReturn).ToArray(), _monitor.GetState(),
        _learner.LearnedWeighting?.GetState());

    // The games' generator states one after the other (four words each).
    private static ulong[] States(Xoshiro256[] rngs) => rngs.SelectMany(r => r.GetState()).ToArray();

    // Restores States' words. Four words for several games: a checkpoint of the time of one shared stream; game 0 continues
    // it and the others start their own streams afresh (the run goes on, though not as the old code would have drawn).
    private void SetStates(Xoshiro256[] rngs, IReadOnlyList<ulong> words, string stream)
    {
        if (words.Count != 4 * rngs.Length && words.Count != 4)
            throw new ArgumentException($"{words.Count} words of {stream} random state, expected {4 * rngs.Length} (4 per game)");
        for (int g = 0; g < rngs.Length; g++)
            if (4 * g < words.Count) rngs[g].SetState(words.Skip(4 * g).Take(4).ToArray());
            else rngs[g] = Xoshiro256.ForGameStream(Config.Seed, stream, g);
    }

    // Every environment copy, row g * EnvsPerGame + e.
    private IEnumerable<MinAtarEnv> Copies() => _games.SelectMany(g => Enumerable.Range(0, g.NumEnvs).Select(e => g[e]));

    /// <summary>
    /// Restores state captured by <see cref="CaptureProgress"/> (after the networks, optimizer and PopArt statistics).
    /// Throws <see cref="ArgumentException"/> or <see cref="InvalidDataException"/> naming what does not fit.
    /// </summary>
    internal void RestoreProgress(TrainerProgress p)
    {
        int perGame = Config.Env.EnvsPerGame, copies = _games.Length * perGame;
        if (p.EnvStates.Count != copies || p.EpisodeReturns.Count != copies)
            throw new ArgumentException(
                $"{p.EnvStates.Count} environment states and {p.EpisodeReturns.Count} episode returns for {copies} environments");
        if (p.Monitor.Count != _specs.Length)
            throw new ArgumentException($"monitor state for {p.Monitor.Count} games, expected {_specs.Length}");
        if (_learner.LearnedWeighting is { } learned)
        {
            if (p.TaskWeighting is null)
                throw new ArgumentException(
                    $"no learned task-weighting state, which tasks.weighting {ConfigChoices.Name(Config.Tasks.Weighting)} needs");
            learned.SetState(p.TaskWeighting);
        }
        FramesPerGame = p.FramesPerGame;
        _steps = p.Steps;
        _learner.Updates = p.Updates;
        SetStates(_actingRngs, p.ActingRng, "acting");
        SetStates(_replayRngs, p.ReplayRng, "replay");
        _monitor.SetState(p.Monitor, p.FramesPerGame);
        for (int g = 0; g < _games.Length; g++)
        {
            try { _games[g].SetCopyStates(p.EnvStates.Skip(g * perGame).Take(perGame).ToArray()); }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"environment state of {Config.Games[g]} is corrupt: {e.Message}", e);
            }
            for (int e = 0; e < perGame; e++)
                if (_games[g][e].EpisodeReturn != p.EpisodeReturns[g * perGame + e])
                    throw new InvalidDataException(
                        $"episode return of {Config.Games[g]} copy {e} is {p.EpisodeReturns[g * perGame + e]}" +
                        $" but its environment state says {_games[g][e].EpisodeReturn}");
        }
        _taskWeights = TaskWeighting.Compute(Config.Tasks, _monitor.Scores());
    }

    /// <summary>
    /// Starts every replay afresh from the environments' current observations: a resume from a checkpoint saved without
    /// replays (not an exact resume).
    /// </summary>
    internal void RestartReplays()
    {
        int perGame = Config.Env.EnvsPerGame;
        for (int g = 0; g < _replays.Length; g++)
        {
            _replays[g] = new ReplayBuffer(Config.Replay.CapacityPerGame, _specs[g].Channels, perGame);
            for (int e = 0; e < perGame; e++) _replays[g].BeginEpisode(e, _games[g].ObservationOf(e).Span);
        }
    }

    /// <summary>The torch device of <paramref name="device"/>; CUDA where it is not available is refused with a message.</summary>
    public static Device DeviceFor(ComputeDevice device)
    {
        TorchRuntime.Initialize();
        return device switch
        {
            ComputeDevice.Cpu => CPU,
            ComputeDevice.Cuda => cuda.is_available()
                ? CUDA
                : throw new InvalidOperationException("device 'cuda' requested but CUDA is not available (use --device cpu)"),
            _ => throw new ArgumentOutOfRangeException(nameof(device), device, null),
        };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var g in _games) g.Dispose();
        foreach (var b in _batches) b.Dispose();
        _policy.Dispose();
        _learner.Dispose();
        _learner.Online.Dispose();
        _learner.Target.Dispose();
    }
}
