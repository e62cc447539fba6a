using System.CommandLine;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Training;

namespace MtlAgent.Cli.Commands;

/// <summary>
/// <c>mtl bench train</c>: end-to-end <see cref="Trainer.Step"/> throughput on the reference settings
/// (one update of batch 32 per game per frame, plain max targets, PopArt off), one game and five games,
/// timed after learning has started.
/// </summary>
public static class BenchTrainCommand
{
    /// <summary>The reference DQN settings for the first <paramref name="games"/> MinAtar games, with learning starting early.</summary>
    public static TrainConfig ReferenceSettings(int games, string device) => new()
    {
        Games = TrainConfig.DefaultGames.Take(games).ToArray(),
        Device = device,
        Learner = new LearnerConfig { DoubleDqn = false, LearningStarts = 1_000 },
        Exploration = new ExplorationConfig { RandomFrames = 1_000 },
        PopArt = new PopArtConfig { Enabled = false },
    };

    public static Command Create()
    {
        var (seconds, json, device) = BenchOptions.Create(defaultSeconds: 10);
        var command = new Command("train", "Training frames/s and updates/s (Trainer.Step, reference settings) for one game and for five");
        foreach (var o in new Option[] { seconds, json, device }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var s = BenchOptions.Seconds(parse.GetValue(seconds));
            var rows = new List<BenchResult>();
            BenchResults.PrintHeader();
            foreach (var games in new[] { 1, 5 })
            {
                var config = ReferenceSettings(games, parse.GetValue(device)!);
                var r = TrainerBenchmark.Run(config, s);
                var row = new BenchResult($"train-{games}-game{(games > 1 ? "s" : "")}", games, games * config.Replay.BatchPerGame,
                    r.Updates / r.Seconds, r.FramesPerSecond);
                rows.Add(row);
                BenchResults.Print(row);
            }
            if (parse.GetValue(json) is { } path) BenchResults.WriteJson(path, rows);
            return 0;
        });
        return command;
    }
}
