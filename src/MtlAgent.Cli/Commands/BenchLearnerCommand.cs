using System.CommandLine;
using MtlAgent.Agent.Benchmarks;
using MtlAgent.Agent.Learning;
using MtlAgent.Agent.Training;
using TorchSharp;

namespace MtlAgent.Cli.Commands;

/// <summary>
/// <c>mtl bench learner</c>: first the bare reference update (the MinAtar network on a [32,10,10,10] batch, smooth-L1,
/// centered RMSprop: the tensor engine's cost alone), then learner updates per second on random replay batches
/// (reference settings), one game and five.
/// </summary>
public static class BenchLearnerCommand
{
    public static Command Create()
    {
        var options = new BenchOptions(defaultSeconds: 5);
        var command = new Command("learner", "Learner updates/s on random batches, one game and five (reference settings or a preset's)");
        options.AddTo(command);
        command.SetAction(parse =>
        {
            var s = options.Seconds(parse);
            var config = options.Settings(parse, 5);
            var rows = new List<BenchResult>();
            BenchResults.PrintHeader();
            var device = Trainer.DeviceFor(config.Device);
            torch.set_num_threads(config.TorchThreads);
            foreach (var (name, torchSharp) in new[] { ("reference-update", false), ("reference-update-torchsharp-rmsprop", true) })
            {
                var reference = ReferenceUpdate.Run(steps: (int)Math.Max(200, s * 1000), device: device, torchSharpOptimizer: torchSharp);
                var referenceRow = new BenchResult(name, "reference", 1, 32, 1000.0 / reference.Mean, null, reference.Median);
                rows.Add(referenceRow);
                BenchResults.Print(referenceRow);
            }
            foreach (var games in new[] { 1, 5 })
            {
                var r = LearnerBenchmark.Run(config, games, config.Replay.BatchPerGame, s);
                var row = new BenchResult($"learner-{games}-game{(games > 1 ? "s" : "")}", options.SettingsName(parse), games,
                    games * r.BatchPerGame, r.UpdatesPerSecond, null);
                rows.Add(row);
                BenchResults.Print(row);
            }
            // Every update measuring gradient conflicts: the cost of one update in monitor.gradient_every.
            var probed = LearnerBenchmark.Run(config, 5, config.Replay.BatchPerGame, s, probeGradients: true);
            var probedRow = new BenchResult("learner-5-games-gradient-probe", options.SettingsName(parse), 5, 5 * probed.BatchPerGame,
                probed.UpdatesPerSecond, null);
            rows.Add(probedRow);
            BenchResults.Print(probedRow);
            if (parse.GetValue(options.Json) is { } path) BenchResults.WriteJson(path, rows);
            return 0;
        });
        return command;
    }
}
