// TEMP stub: stands in for the agent branch's Trainer until it lands; deleted on merge.
using System.Text.Json;
using MtlAgent.Agent.Configuration;

namespace MtlAgent.Agent.Training
{

/// <summary>Fake trainer: counts frames, pretends to learn, saves a deterministic state.</summary>
public sealed class Trainer : IDisposable
{
    ulong _rng;
    readonly long[] _episodes;

    public Trainer(TrainConfig config)
    {
        Config = config;
        _rng = (ulong)config.Seed * 0x9E3779B97F4A7C15UL + 1;
        _episodes = new long[config.Games.Count];
    }

    public TrainConfig Config { get; }
    public long FramesPerGame { get; private set; }
    public long Updates { get; private set; }

    public void Step()
    {
        FramesPerGame += Config.Env.EnvsPerGame;
        for (var g = 0; g < _episodes.Length; g++)
        {
            _rng ^= _rng << 13; _rng ^= _rng >> 7; _rng ^= _rng << 17;
            if (_rng % 50 == 0) _episodes[g]++;
        }
        if (FramesPerGame >= Config.Learner.LearningStarts && FramesPerGame % Config.Learner.UpdatePeriod == 0) Updates++;
        if (Updates > 2 && Config.Learner.LearningRate > 1e6)
            throw new TrainingDivergedException($"loss of {Config.Games[0]} is NaN at update {Updates}");
    }

    public TrainingSnapshot Snapshot()
    {
        var games = Config.Games.Select((id, g) =>
        {
            var score = Math.Tanh(FramesPerGame / 100_000.0) * (g + 1) / Config.Games.Count;
            return new GameSnapshot(id, _episodes[g], _episodes[g] == 0 ? null : score * 20, _episodes[g] == 0 ? null : score,
                Math.Max(0.1, 1 - FramesPerGame / 100_000.0), Updates == 0 ? null : 0.01 + (_rng % 100) / 1e4, 0.5, 1.0 + g, 1.0, false, false);
        }).ToList();
        var scored = games.Where(s => s.NormalizedScore is not null).OrderBy(s => s.NormalizedScore).ToList();
        if (scored.Count == 0) return new TrainingSnapshot(FramesPerGame, Updates, games, null, null, null, null);
        return new TrainingSnapshot(FramesPerGame, Updates, games, scored[0].Env, scored[0].NormalizedScore,
            scored[scored.Count / 2].NormalizedScore, scored.Average(s => s.NormalizedScore));
    }

    public void SaveCheckpoint(string directory)
    {
        if (Directory.EnumerateFileSystemEntries(directory).Any()) throw new CheckpointException($"'{directory}' is not empty");
        File.WriteAllBytes(Path.Combine(directory, "model.safetensors"), BitConverter.GetBytes(_rng));
        File.WriteAllBytes(Path.Combine(directory, "optimizer.safetensors"), BitConverter.GetBytes(Updates));
        var state = new StubState(FramesPerGame, Updates, _rng, _episodes, Config.Games.ToArray(), Config.Network.Hidden);
        File.WriteAllText(Path.Combine(directory, "state.json"), JsonSerializer.Serialize(state));
    }

    public static Trainer LoadCheckpoint(string directory, TrainConfig config)
    {
        var path = Path.Combine(directory, "state.json");
        if (!File.Exists(path)) throw new CheckpointException($"missing {path}");
        var state = JsonSerializer.Deserialize<StubState>(File.ReadAllText(path))
            ?? throw new CheckpointException($"corrupt {path}");
        if (!state.Games.SequenceEqual(config.Games))
            throw new CheckpointException($"games differ: checkpoint {string.Join(",", state.Games)}, config {string.Join(",", config.Games)}");
        if (state.Hidden != config.Network.Hidden)
            throw new CheckpointException($"network.hidden differs: checkpoint {state.Hidden}, config {config.Network.Hidden}");
        var trainer = new Trainer(config) { FramesPerGame = state.Frames, Updates = state.Updates, _rng = state.Rng };
        state.Episodes.CopyTo(trainer._episodes, 0);
        return trainer;
    }

    public void Dispose() { }

    sealed record StubState(long Frames, long Updates, ulong Rng, long[] Episodes, string[] Games, int Hidden);
}

public sealed record TrainingSnapshot(long FramesPerGame, long Updates, IReadOnlyList<GameSnapshot> Games,
    string? WorstGame, double? WorstScore, double? MedianScore, double? MeanScore);

public sealed record GameSnapshot(string Env, long Episodes, double? RecentReturn, double? NormalizedScore,
    double Epsilon, double? Loss, double PopArtMu, double PopArtSigma, double TaskWeight, bool Regressing, bool Stalled);

public sealed class TrainingDivergedException(string message) : Exception(message);

public sealed class CheckpointException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>TEMP stub of the agent branch's trainer benchmark.</summary>
public sealed record TrainerBenchmarkResult(int Games, long FramesPerGame, long Updates, double Seconds)
{
    public double FramesPerSecondPerGame => FramesPerGame / Seconds;
    public double FramesPerSecond => FramesPerGame * Games / Seconds;
}

/// <summary>TEMP stub of the agent branch's trainer benchmark.</summary>
public static class TrainerBenchmark
{
    public static TrainerBenchmarkResult Run(TrainConfig config, double seconds)
    {
        using var trainer = new Trainer(config);
        while (trainer.Updates == 0) trainer.Step();
        long frames0 = trainer.FramesPerGame, updates0 = trainer.Updates;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds) trainer.Step();
        return new TrainerBenchmarkResult(config.Games.Count, trainer.FramesPerGame - frames0, trainer.Updates - updates0, clock.Elapsed.TotalSeconds);
    }
}
}

namespace MtlAgent.Agent.Learning
{
    /// <summary>TEMP stub of the agent branch's learner benchmark result.</summary>
    public sealed record LearnerBenchmarkResult(int Games, int BatchPerGame, int Updates, double Seconds, double MedianMilliseconds)
    {
        public double UpdatesPerSecond => Updates / Seconds;
    }

    /// <summary>TEMP stub of the agent branch's learner benchmark.</summary>
    public static class LearnerBenchmark
    {
        public static LearnerBenchmarkResult Run(TrainConfig config, int games, int batchPerGame, double seconds, int warmup = 50)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var n = 0;
            while (clock.Elapsed.TotalSeconds < seconds) { n++; Thread.SpinWait(1000 * games * batchPerGame); }
            return new LearnerBenchmarkResult(games, batchPerGame, n, clock.Elapsed.TotalSeconds, 1000 * clock.Elapsed.TotalSeconds / n);
        }
    }
}
