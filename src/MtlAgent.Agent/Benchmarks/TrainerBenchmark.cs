using System.Diagnostics;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Training;

namespace MtlAgent.Agent.Benchmarks;

/// <summary>Result of <see cref="TrainerBenchmark.Run"/>: end-to-end training throughput after the learning-starts phase.</summary>
/// <param name="Games">Games trained together.</param>
/// <param name="FramesPerGame">Frames per game in the timed part.</param>
/// <param name="Updates">Updates in the timed part.</param>
/// <param name="Seconds">Wall time of the timed part.</param>
/// <param name="Profile">Where the time went in a further, profiled part (null when not asked for).</param>
public sealed record TrainerBenchmarkResult(int Games, long FramesPerGame, long Updates, double Seconds, StepProfile? Profile = null)
{
    /// <summary>Frames per second per game (all games act in every step).</summary>
    public double FramesPerSecondPerGame => FramesPerGame / Seconds;

    /// <summary>Frames per second summed over games.</summary>
    public double FramesPerSecond => FramesPerGame * Games / Seconds;
}

/// <summary>Times <see cref="Trainer.Step"/> with updates running (for <c>mtl bench train</c> and the speed goal).</summary>
public static class TrainerBenchmark
{
    /// <summary>
    /// Steps through <c>LearningStarts</c> untimed, then times about <paramref name="seconds"/> seconds of training; then,
    /// with <paramref name="profileSeconds"/> &gt; 0, that much more with each step's phases timed (<see cref="StepProfile"/>).
    /// </summary>
    public static TrainerBenchmarkResult Run(TrainConfig config, double seconds, double profileSeconds = 0)
    {
        using var trainer = new Trainer(config);
        while (trainer.Updates == 0) trainer.Step();
        long frames0 = trainer.FramesPerGame, updates0 = trainer.Updates;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds) trainer.Step();
        var result = new TrainerBenchmarkResult(config.Games.Count, trainer.FramesPerGame - frames0, trainer.Updates - updates0,
            clock.Elapsed.TotalSeconds);
        if (profileSeconds <= 0) return result;
        trainer.Profile = new StepProfile(trainer.Device.type == TorchSharp.DeviceType.CUDA);
        clock.Restart();
        while (clock.Elapsed.TotalSeconds < profileSeconds) trainer.Step();
        return result with { Profile = trainer.Profile };
    }
}
