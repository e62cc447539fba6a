using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Engine;
using MtlAgent.Agent.Evaluation;
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
/// The training loop core: round-robin acting in every game, per-game replay, the multi-game update, target syncs,
/// monitoring and checkpoints. <c>mtl train</c> calls <see cref="Step"/> until the frame budget is spent.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly EnvSpec[] _specs;
    private readonly MinAtarEnv[] _envs;             // row g * EnvsPerGame + e
    private readonly byte[][] _current;         // current observation of each env
    private readonly double[] _episodeReturn;
    private readonly int[] _actions;
    private readonly ReplayBuffer[] _replays;
    private readonly RoundRobinScheduler _schedule;
    private readonly ReplayBatch _batch;
    private readonly BatchedActor _actor;
    private readonly Learner _learner;
    private readonly WorstCaseMonitor _monitor;
    private readonly Xoshiro256 _actingRng, _replayRng;
    private readonly Func<int, ReadOnlyMemory<byte>> _observation;
    private readonly double[] _lossSum;
    private readonly long[] _lossCount;
    private readonly double[] _uniformWeights;
    private double[] _taskWeights;
    private long _steps;

    /// <summary>Builds environments, networks, optimizer and replays, all seeded from <c>config.Seed</c>.</summary>
    public Trainer(TrainConfig config)
    {
        Config = config;
        if (config.Games.Count == 0) throw new ArgumentException("games: at least one game is needed");
        if (config.Games.Distinct().Count() != config.Games.Count) throw new ArgumentException($"games: each game may appear once ({string.Join(", ", config.Games)})");
        if (config.Env.EnvsPerGame < 1) throw new ArgumentException("env.envs_per_game must be at least 1");
        if (config.Learner.UpdatePeriod < 1 || config.Learner.TargetUpdatePeriod < 1) throw new ArgumentException("learner.update_period and learner.target_update_period must be at least 1");
        _ = TaskWeighting.Compute(config.Tasks, config.Games.Select(_ => (double?)null).ToArray()); // validates the scheme name
        TorchRuntime.Initialize();
        Device = DeviceFor(config.Device);
        torch.set_num_threads(config.TorchThreads);
        // RMSprop averages of weights whose gradient stays zero decay into denormals, which slow elementwise ops down:
        // flush them on this thread, which steps and learns. It is thread-wide: .NET arithmetic here (and the JIT's
        // folding of constants in methods compiled here afterwards) flushes denormals too; nothing in training needs them.
        Denormals.FlushOnThisThread(true);

        _specs = config.Games.Select(EnvRegistry.Spec).ToArray();
        int k = _specs.Length, perGame = config.Env.EnvsPerGame;
        Channels = _specs.Max(s => s.Channels);
        var options = new EnvOptions { StickyActionProb = config.Env.StickyActionProb, DifficultyRamping = config.Env.DifficultyRamping, MaxEpisodeSteps = config.Env.MaxEpisodeSteps };
        var envSeeds = Xoshiro256.ForStream(config.Seed, "envs");
        _envs = new MinAtarEnv[k * perGame];
        _current = new byte[k * perGame][];
        _replays = new ReplayBuffer[k];
        for (int g = 0; g < k; g++)
        {
            _replays[g] = new ReplayBuffer(config.Replay.CapacityPerGame, _specs[g].Channels, perGame);
            for (int e = 0; e < perGame; e++)
            {
                int row = g * perGame + e;
                _envs[row] = EnvRegistry.Make(config.Games[g], options);
                _current[row] = _envs[row].Reset(envSeeds.NextSeed()).Observation;
                _replays[g].BeginEpisode(e, _current[row]);
            }
        }
        _episodeReturn = new double[k * perGame];
        _actions = new int[k * perGame];
        _observation = row => _current[row];

        torch.manual_seed(config.Seed);
        var actionCounts = _specs.Select(s => s.ActionCount).ToArray();
        var online = new MultiTaskQNetwork(config.Network, Channels, actionCounts);
        var target = new MultiTaskQNetwork(config.Network, Channels, actionCounts);
        online.to(Device);
        target.to(Device);
        _learner = new Learner(config, online, target, Device);
        _schedule = new RoundRobinScheduler(config.Games, config.Replay, config.Tasks);
        _batch = new ReplayBatch(_schedule, Channels, config.Learner.Gamma, Device);
        _actor = new BatchedActor(online, perGame, Device);
        _monitor = new WorstCaseMonitor(config.Games, config.Monitor);
        _actingRng = Xoshiro256.ForStream(config.Seed, "acting");
        _replayRng = Xoshiro256.ForStream(config.Seed, "replay");
        _lossSum = new double[k];
        _lossCount = new long[k];
        _uniformWeights = TaskWeighting.Uniform(k);
        _taskWeights = _uniformWeights;
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

    /// <summary>The learner (networks, optimizer, PopArt statistics).</summary>
    public Learner Learner => _learner;

    /// <summary>Replay bytes per stored transition of each game (bit-packed observation stored once, action, reward, flag).</summary>
    public IReadOnlyList<int> ReplayBytesPerTransition => _replays.Select(r => r.BytesPerTransition).ToArray();

    /// <summary>The online network as an evaluation policy (real units, on the trainer's device).</summary>
    public NetworkPolicy Policy => _policy ??= new NetworkPolicy(_learner.Online, Config.Games,
        Config.PopArt.Enabled ? g => (_learner.PopArt.Mu(g), _learner.PopArt.Sigma(g)) : null, Device);

    private NetworkPolicy? _policy;

    /// <summary>Current exploration rate (the same in every game: all games have acted the same number of frames).</summary>
    public double Epsilon => EpsilonSchedule.Value(Config.Exploration, FramesPerGame);

    /// <summary>
    /// One round-robin step: every game acts <c>EnvsPerGame</c> frames (one batched forward), transitions are stored, and
    /// the update and target sync that are due run.
    /// </summary>
    public void Step()
    {
        int perGame = Config.Env.EnvsPerGame;
        long t = Profile?.Start() ?? 0;
        _actor.Act(Epsilon, _actingRng, _observation, _actions);
        if (Profile is not null) t = Profile.EndActing(t);
        for (int row = 0; row < _envs.Length; row++)
        {
            int g = row / perGame, e = row % perGame;
            var env = _envs[row];
            var status = env.StepInPlace(_actions[row]);
            env.WriteObservation(_current[row]);
            _replays[g].AddStep(e, _actions[row], status.Reward, status.Terminated, status.Done, _current[row]);
            _episodeReturn[row] += status.Reward;
            if (status.Done)
            {
                _monitor.RecordEpisode(g, _episodeReturn[row], FramesPerGame + perGame);
                _episodeReturn[row] = 0;
                env.ResetInPlace();
                env.WriteObservation(_current[row]);
                _replays[g].BeginEpisode(e, _current[row]);
            }
        }
        FramesPerGame += perGame;
        _steps++;
        _monitor.SetFrames(FramesPerGame);
        if (Profile is not null) t = Profile.EndEnvironments(t);
        if (UpdateDue()) Update(t);
    }

    /// <summary>When set, every step adds its phases' times to it (for <c>mtl bench train</c>).</summary>
    public StepProfile? Profile { get; set; }

    private bool UpdateDue()
    {
        if (!Cadence.UpdateDue(Config.Learner, FramesPerGame, _steps)) return false;
        for (int g = 0; g < _replays.Length; g++)
            if (_replays[g].Count < _schedule.RowsPerGame[g]) return false;
        return true;
    }

    private void Update(long t)
    {
        if (Config.Tasks.Weighting != "uniform") _taskWeights = TaskWeighting.Compute(Config.Tasks, _monitor.Scores());
        _batch.Sample(_replays, _replayRng);
        if (Profile is not null) t = Profile.EndSampling(t);
        var losses = _learner.Update(_batch, _taskWeights);
        Profile?.EndUpdate(t);
        for (int g = 0; g < losses.Count; g++) { _lossSum[g] += losses[g]; _lossCount[g]++; }
    }

    /// <summary>Current figures of every game and the worst-case summary; resets the loss averages.</summary>
    public TrainingSnapshot Snapshot()
    {
        var games = new GameSnapshot[_specs.Length];
        for (int g = 0; g < games.Length; g++)
        {
            var s = _monitor.Standing(g);
            double? loss = _lossCount[g] == 0 ? null : _lossSum[g] / _lossCount[g];
            games[g] = new GameSnapshot(s.Env, s.Episodes, s.RecentReturn, s.NormalizedScore, Epsilon, loss,
                _learner.PopArt.Mu(g), _learner.PopArt.Sigma(g), _taskWeights[g], s.Regressing, s.Stalled);
            _lossSum[g] = 0;
            _lossCount[g] = 0;
        }
        var (worst, worstScore, median, mean) = _monitor.Summary();
        return new TrainingSnapshot(FramesPerGame, Updates, games, worst, worstScore, median, mean);
    }

    /// <summary>Each game's replay, in head order (checkpoints save and restore them).</summary>
    internal IReadOnlyList<ReplayBuffer> Replays => _replays;

    /// <summary>Everything of the trainer's state besides tensors and replays, for checkpoints.</summary>
    internal TrainerProgress CaptureProgress() => new(FramesPerGame, Updates, _steps, _actingRng.GetState(), _replayRng.GetState(),
        _envs.Select(e => e.GetState()).ToArray(), _episodeReturn.ToArray(), _monitor.GetState());

    /// <summary>
    /// Restores state captured by <see cref="CaptureProgress"/> (after the networks, optimizer and PopArt statistics).
    /// Throws <see cref="ArgumentException"/> or <see cref="InvalidDataException"/> naming what does not fit.
    /// </summary>
    internal void RestoreProgress(TrainerProgress p)
    {
        if (p.EnvStates.Count != _envs.Length || p.EpisodeReturns.Count != _envs.Length)
            throw new ArgumentException($"{p.EnvStates.Count} environment states for {_envs.Length} environments");
        if (p.Monitor.Count != _specs.Length) throw new ArgumentException($"monitor state for {p.Monitor.Count} games, expected {_specs.Length}");
        FramesPerGame = p.FramesPerGame;
        _steps = p.Steps;
        _learner.Updates = p.Updates;
        _actingRng.SetState(p.ActingRng);
        _replayRng.SetState(p.ReplayRng);
        _monitor.SetState(p.Monitor, p.FramesPerGame);
        for (int row = 0; row < _envs.Length; row++)
        {
            try { _envs[row].SetState(p.EnvStates[row]); }
            catch (Exception e) when (e is ArgumentException or InvalidDataException)
            {
                throw new InvalidDataException($"environment state {row} ({Config.Games[row / Config.Env.EnvsPerGame]}) is corrupt: {e.Message}", e);
            }
            _envs[row].WriteObservation(_current[row]);
            _episodeReturn[row] = p.EpisodeReturns[row];
        }
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
            for (int e = 0; e < perGame; e++) _replays[g].BeginEpisode(e, _current[g * perGame + e]);
        }
    }

    /// <summary>The device named by <c>train.device</c>.</summary>
    public static Device DeviceFor(string name)
    {
        TorchRuntime.Initialize();
        return name switch
        {
            "cpu" => CPU,
            "cuda" => cuda.is_available() ? CUDA : throw new InvalidOperationException("device 'cuda' requested but CUDA is not available (use --device cpu)"),
            _ => throw new ArgumentException($"unknown device '{name}'; known: cpu, cuda"),
        };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var env in _envs) env.Dispose();
        _batch.Dispose();
        _actor.Dispose();
        _learner.Dispose();
        _learner.Online.Dispose();
        _learner.Target.Dispose();
    }
}
