using System.Diagnostics;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Engine;
using MtlAgent.Agent.Learning;
using MtlAgent.Agent.Model;
using MtlAgent.Agent.Randomness;
using MtlAgent.Agent.Replay;
using MtlAgent.Agent.Tasks;
using MtlAgent.Agent.Training;
using MtlAgent.Envs;
using TorchSharp;

namespace MtlAgent.Agent.Benchmarks;

/// <summary>Result of <see cref="LearnerBenchmark.Run"/>.</summary>
/// <param name="Games">Games (heads) in each batch.</param>
/// <param name="BatchPerGame">Rows per game.</param>
/// <param name="Updates">Timed updates.</param>
/// <param name="Seconds">Wall time of the timed updates.</param>
/// <param name="MedianMilliseconds">Median time of one update (sampling included).</param>
public sealed record LearnerBenchmarkResult(int Games, int BatchPerGame, int Updates, double Seconds, double MedianMilliseconds)
{
    /// <summary>Updates per second.</summary>
    public double UpdatesPerSecond => Updates / Seconds;
}

/// <summary>
/// Times learner updates (sample + <see cref="Learner.Update"/>) on replays filled with random transitions; for <c>mtl bench learner</c>.
/// </summary>
public static class LearnerBenchmark
{
    /// <summary>
    /// Runs updates of the configured learner over the first <paramref name="games"/> games of <paramref name="config"/>
    /// (default: the five MinAtar games) with <paramref name="batchPerGame"/> rows each, for about <paramref name="seconds"/>
    /// seconds after <paramref name="warmup"/> untimed updates; with <paramref name="probeGradients"/>, every update also
    /// measures gradient conflicts (what one update in <c>monitor.gradient_every</c> costs).
    /// </summary>
    public static LearnerBenchmarkResult Run(TrainConfig config, int games, int batchPerGame, double seconds, int warmup = 50,
        bool probeGradients = false)
    {
        if (games < 1 || games > config.Games.Count)
            throw new ArgumentOutOfRangeException(nameof(games), games, $"games must be within 1..{config.Games.Count}");
        config = config with { Games = config.Games.Take(games).ToArray(), Replay = config.Replay with { BatchPerGame = batchPerGame } };
        TorchRuntime.Initialize();
        var device = Trainer.DeviceFor(config.Device);
        torch.set_num_threads(config.TorchThreads);
        var specs = config.Games.Select(EnvRegistry.Spec).ToArray();
        int channels = MultiTaskQNetwork.InputChannels(config.Network, specs.Select(s => s.Channels));
        var rng = new Xoshiro256((ulong)config.Seed);
        var replays = specs.Select(s => RandomReplay(s, Math.Max(4 * batchPerGame, 1000), rng)).ToArray();
        torch.manual_seed(config.Seed);
        var counts = specs.Select(s => s.ActionCount).ToArray();
        var gameChannels = specs.Select(s => s.Channels).ToArray();
        using var online = new MultiTaskQNetwork(config.Network, gameChannels, counts);
        using var target = new MultiTaskQNetwork(config.Network, gameChannels, counts);
        online.to(device);
        target.to(device);
        using var learner = new Learner(config, online, target, device);
        using var batch = new ReplayBatch(BatchRows.Balanced(config.Games, config.Replay, config.Tasks), channels, config.Learner.Gamma,
            device);
        var weights = TaskWeighting.Uniform(games);
        var rngs = Enumerable.Repeat(rng, games).ToArray();
        for (int i = 0; i < warmup; i++) { batch.Sample(replays, rngs); learner.Update(batch, weights); }
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds || times.Count < 10)
        {
            long start = Stopwatch.GetTimestamp();
            batch.Sample(replays, rngs);
            learner.Update(batch, weights, probeGradients);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        total.Stop();
        times.Sort();
        return new LearnerBenchmarkResult(games, batchPerGame, times.Count, total.Elapsed.TotalSeconds, times[times.Count / 2]);
    }

    private static ReplayBuffer RandomReplay(EnvSpec spec, int transitions, Xoshiro256 rng)
    {
        var replay = new ReplayBuffer(transitions + 1, spec.Channels);
        var obs = new byte[spec.Channels * 100];
        void Fill() { for (int i = 0; i < obs.Length; i++) obs[i] = (byte)(rng.NextInt(8) == 0 ? 1 : 0); }
        Fill();
        replay.BeginEpisode(0, obs);
        for (int t = 0; t < transitions; t++)
        {
            Fill();
            bool end = rng.NextInt(50) == 0;
            replay.AddStep(0, rng.NextInt(spec.ActionCount), rng.NextInt(10) == 0 ? 1 : 0, end, end, obs);
            if (end) { Fill(); replay.BeginEpisode(0, obs); }
        }
        return replay;
    }
}
