using System.CommandLine;
using System.Globalization;
using MtlAgent.Agent.Checkpoints;
using MtlAgent.Agent.Evaluation;
using MtlAgent.Cli.Output;
using MtlAgent.Cli.Watching;

namespace MtlAgent.Cli.Commands;

/// <summary><c>mtl replay</c>: watch a checkpoint play one game, live in the terminal or as an animated GIF.</summary>
public static class ReplayCommand
{
    public static Command Create()
    {
        var defaults = new EvaluationOptions();
        var checkpoint = new Option<string>("--checkpoint")
        {
            Description = "Checkpoint directory (step-<frames>/) or run directory (its latest checkpoint)",
            Required = true,
        };
        var game = new Option<string>("--game") { Description = "Game to play (one of the checkpoint's env ids)", Required = true };
        var episodes = new Option<int>("--episodes") { Description = "Episodes to play", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed")
        {
            Description = "Seed; episode i is episode i of `mtl eval` with the same seed and epsilon",
            DefaultValueFactory = _ => defaults.Seed,
        };
        var epsilon = new Option<double>("--epsilon")
        {
            Description = "Probability of a random action", DefaultValueFactory = _ => defaults.Epsilon,
        };
        var gif = new Option<string?>("--gif")
        {
            Description = "Write an animated GIF instead of playing in the terminal: " +
                "for each episode its initial frame, then one frame per step",
        };
        var fps = new Option<double>("--fps") { Description = "Frames per second, live and in the GIF", DefaultValueFactory = _ => 10 };

        var cmd = new Command("replay",
            "Play a checkpoint's policy in one game: live in the terminal (score, step, action and its Q-value) or to an animated GIF");
        foreach (var o in new Option[] { checkpoint, game, episodes, seed, epsilon, gif, fps }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var options = (defaults with
            {
                Episodes = parse.GetValue(episodes), Seed = parse.GetValue(seed), Epsilon = parse.GetValue(epsilon),
            }).Validate();
            int count = options.Episodes;
            double rate = FramePacer.CheckFps(parse.GetValue(fps));
            var gifPath = parse.GetValue(gif);

            using var policy = CheckpointPolicy.Load(parse.GetValue(checkpoint)!);
            var env = GameSelection.Require(parse.GetValue(game)!, policy.Games, $"checkpoint '{policy.Directory}'");
            var values = policy.Policy;
            var evaluator = new Evaluator(values, CheckpointEnv.Options(policy.Config));

            var summary = new List<string>();
            IReplayView view = gifPath is null
                ? new TerminalReplayView(Console.Out, env, rate, redraw: !Console.IsOutputRedirected)
                : new GifReplayRecorder(gifPath, env, rate);
            using (view)
            {
                for (int i = 0; i < count; i++)
                {
                    using var episode = evaluator.StartEpisode(env, options, i);
                    view.BeginEpisode(episode, i, count);
                    episode.Play(values, options.Epsilon, (step, q) => view.Step(episode, step, q));
                    summary.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{env} episode {i + 1}/{count}: return {episode.Return} in " +
                        $"{episode.Steps} steps{(episode.Truncated ? " (cut by the step cap)" : "")}"));
                }
                view.Complete();
            }
            foreach (var line in summary) Console.WriteLine(line);
            if (view is GifReplayRecorder recorder)
                Console.WriteLine($"wrote {recorder.Frames} frames ({count} initial + one per step) to {Path.GetFullPath(gifPath!)}");
            return 0;
        });
        return cmd;
    }
}
