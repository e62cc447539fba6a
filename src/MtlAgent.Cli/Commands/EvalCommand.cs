using System.CommandLine;
using MtlAgent.Agent.Checkpoints;
using MtlAgent.Agent.Evaluation;
using MtlAgent.Cli.Output;
using Spectre.Console;

namespace MtlAgent.Cli.Commands;

/// <summary><c>mtl eval</c>: seeded epsilon-greedy evaluation of a checkpoint on each of its games, as a table and optional JSON.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var defaults = new EvaluationOptions();
        var checkpoint = new Option<string>("--checkpoint")
        {
            Description = "Checkpoint directory (step-<frames>/) or run directory (its latest checkpoint)",
            Required = true,
        };
        var games = new Option<string?>("--games") { Description = "Comma-separated subset of the checkpoint's games (default: all)" };
        var episodes = new Option<int>("--episodes") { Description = "Episodes per game", DefaultValueFactory = _ => defaults.Episodes };
        var epsilon = new Option<double>("--epsilon")
        {
            Description = "Probability of a random action", DefaultValueFactory = _ => defaults.Epsilon,
        };
        var seed = new Option<int>("--seed")
        {
            Description = "Seed of every episode's game and exploration (same seed, same numbers)",
            DefaultValueFactory = _ => defaults.Seed,
        };
        var maxSteps = new Option<int>("--max-steps")
        {
            Description = "Steps after which an episode is cut and counted as truncated",
            DefaultValueFactory = _ => defaults.MaxEpisodeSteps,
        };
        var json = new Option<string?>("--json") { Description = "Also write the result as JSON to this file (schema in the README)" };

        var cmd = new Command("eval",
            "Evaluate a checkpoint: mean, standard error and median return and normalised score per game, worst game, " +
            "median and mean normalised score");
        foreach (var o in new Option[] { checkpoint, games, episodes, epsilon, seed, maxSteps, json }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var options = new EvaluationOptions
            {
                Episodes = parse.GetValue(episodes),
                Epsilon = parse.GetValue(epsilon),
                Seed = parse.GetValue(seed),
                MaxEpisodeSteps = parse.GetValue(maxSteps),
            }.Validate();
            var jsonPath = parse.GetValue(json);
            if (jsonPath is not null) EvaluationJson.CheckDestination(jsonPath);
            using var policy = CheckpointPolicy.Load(parse.GetValue(checkpoint)!);
            var selected = GameSelection.Parse(parse.GetValue(games), policy.Games, $"checkpoint '{policy.Directory}'");

            var evaluator = new Evaluator(policy.Policy, CheckpointEnv.Options(policy.Config));
            var report = evaluator.Evaluate(selected, options, policy.Directory, policy.FramesPerGame);

            EvaluationTable.Write(ConsoleOutput.Create(), report);
            if (jsonPath is not null) EvaluationJson.Write(jsonPath, report);
            return 0;
        });
        return cmd;
    }
}
