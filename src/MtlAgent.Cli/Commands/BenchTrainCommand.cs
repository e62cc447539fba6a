using System.CommandLine;
using MtlAgent.Agent.Benchmarks;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Training;

namespace MtlAgent.Cli.Commands;

/// <summary>
/// <c>mtl bench train</c>: end-to-end <see cref="Trainer.Step"/> throughput on the reference settings
/// (one update of batch 32 per game per frame, plain max targets, PopArt off) or a preset's, one game and five games,
/// timed after learning has started.
/// </summary>
public static class BenchTrainCommand
{
    public static Command Create()
    {
        var options = new BenchOptions(defaultSeconds: 10);
        var command = new Command("train",
            "Training frames/s and updates/s (Trainer.Step, reference settings or a preset's) for one game and for five");
        options.AddTo(command);
        command.SetAction(parse =>
        {
            var s = options.Seconds(parse);
            var rows = new List<BenchResult>();
            BenchResults.PrintHeader();
            foreach (var games in new[] { 1, 5 })
            {
                var config = options.Settings(parse, games);
                var r = TrainerBenchmark.Run(config, s, profileSeconds: Math.Min(s, 3));
                var row = new BenchResult($"train-{games}-game{(games > 1 ? "s" : "")}", options.SettingsName(parse), games,
                    games * config.Replay.BatchPerGame, r.Updates / r.Seconds, r.FramesPerSecond);
                rows.Add(row with { TimeShares = r.Profile?.ToString() });
                BenchResults.Print(row);
                Console.WriteLine($"  time per step: {r.Profile}");
            }
            if (parse.GetValue(options.Json) is { } path) BenchResults.WriteJson(path, rows);
            return 0;
        });
        return command;
    }
}
