using System.CommandLine;
using MtlAgent.Agent.Learning;
using MtlAgent.Agent.Training;
using MtlAgent.Agent.Benchmarks;

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
        var (seconds, json, device) = BenchOptions.Create(defaultSeconds: 5);
        var command = new Command("learner", "Learner updates/s on random batches (32 rows per game), one game and five");
        foreach (var o in new Option[] { seconds, json, device }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var s = BenchOptions.Seconds(parse.GetValue(seconds));
            var config = BenchTrainCommand.ReferenceSettings(5, parse.GetValue(device)!);
            var rows = new List<BenchResult>();
            BenchResults.PrintHeader();
            var reference = ReferenceUpdate.Run(steps: (int)Math.Max(200, s * 1000), device: Trainer.DeviceFor(parse.GetValue(device)!));
            var referenceRow = new BenchResult("reference-update", 1, 32, 1000.0 / reference.Mean, null, reference.Median);
            rows.Add(referenceRow);
            BenchResults.Print(referenceRow);
            foreach (var games in new[] { 1, 5 })
            {
                var r = LearnerBenchmark.Run(config, games, config.Replay.BatchPerGame, s);
                var row = new BenchResult($"learner-{games}-game{(games > 1 ? "s" : "")}", games, games * r.BatchPerGame, r.UpdatesPerSecond, null);
                rows.Add(row);
                BenchResults.Print(row);
            }
            if (parse.GetValue(json) is { } path) BenchResults.WriteJson(path, rows);
            return 0;
        });
        return command;
    }
}
