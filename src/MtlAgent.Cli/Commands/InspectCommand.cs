using System.CommandLine;
using MtlAgent.Agent.Checkpoints;
using MtlAgent.Agent.Evaluation;
using MtlAgent.Cli.Output;

namespace MtlAgent.Cli.Commands;

/// <summary>
/// <c>mtl inspect CHECKPOINT|RUN [--json FILE]</c>: the regime a checkpoint's optimizer steps each parameter tensor in.
/// </summary>
public static class InspectCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("CHECKPOINT|RUN")
        {
            Description = "Checkpoint directory (step-<frames>/) or run directory (its latest checkpoint)",
        };
        var json = new Option<string?>("--json") { HelpName = "FILE", Description = "Also write the result as JSON" };
        var cmd = new Command("inspect",
            "Inspect a checkpoint's optimizer state: per parameter tensor, the root of the gradients' mean square against " +
            "eps (normalised steps, or SGD-like steps of lr/eps times the gradient)");
        cmd.Arguments.Add(path);
        cmd.Options.Add(json);
        cmd.SetAction(parse =>
        {
            var jsonPath = parse.GetValue(json);
            if (jsonPath is not null) EvaluationJson.CheckDestination(jsonPath);
            var inspected = CheckpointOptimizer.Load(parse.GetValue(path)!);
            OptimizerRegimeTable.Write(ConsoleOutput.Create(), inspected);
            if (jsonPath is not null)
            {
                var r = inspected.Regime;
                JsonOutput.Write(jsonPath, new
                {
                    checkpoint = inspected.Directory,
                    frames_per_game = inspected.FramesPerGame,
                    optimizer = r.Kind,
                    eps = r.Eps,
                    learning_rate = inspected.StepSize,
                    share_above_eps = r.ShareAboveEps,
                    tensors = r.Tensors.Select(t => new
                    {
                        state = t.Optimizer, tensor = t.Tensor, count = t.Count, median_root = t.MedianRoot,
                        p90_root = t.P90Root, share_above_eps = t.ShareAboveEps,
                    }),
                });
            }
            return 0;
        });
        return cmd;
    }
}
