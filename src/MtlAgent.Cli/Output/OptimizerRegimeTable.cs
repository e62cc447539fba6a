using System.Globalization;
using MtlAgent.Agent.Checkpoints;
using Spectre.Console;

namespace MtlAgent.Cli.Output;

/// <summary>The human-readable form of a <see cref="CheckpointOptimizer"/>: one row per parameter tensor and state.</summary>
public static class OptimizerRegimeTable
{
    /// <summary>Writes the checkpoint's optimizer regime to <paramref name="console"/>.</summary>
    public static void Write(IAnsiConsole console, CheckpointOptimizer inspected)
    {
        var regime = inspected.Regime;
        console.MarkupLine($"checkpoint [bold]{Markup.Escape(inspected.Directory)}[/] (" +
            $"{inspected.FramesPerGame.ToString("N0", CultureInfo.InvariantCulture)} frames per game, " +
            $"{inspected.Config.Games.Count} game{(inspected.Config.Games.Count == 1 ? "" : "s")})");
        console.MarkupLine(Markup.Escape($"{regime.Kind}, eps {G(regime.Eps)}, learning rate {G(inspected.StepSize)}; " +
            "root = the root of the gradients' mean square that eps is added to"));
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn(new TableColumn("state").NoWrap())
            .AddColumn(new TableColumn("tensor").NoWrap())
            .AddColumn(new TableColumn("count").RightAligned().NoWrap())
            .AddColumn(new TableColumn("median root").RightAligned().NoWrap())
            .AddColumn(new TableColumn("p90 root").RightAligned().NoWrap())
            .AddColumn(new TableColumn("root > eps").RightAligned().NoWrap());
        foreach (var t in regime.Tensors)
        {
            table.AddRow(Markup.Escape(t.Optimizer), Markup.Escape(t.Tensor), t.Count.ToString(CultureInfo.InvariantCulture),
                E(t.MedianRoot), E(t.P90Root), P(t.ShareAboveEps));
        }
        console.Write(table);
        console.MarkupLine(Markup.Escape($"root > eps in {P(regime.ShareAboveEps)} of all coordinates: " + Reading(inspected)));
    }

    // What the share means for a step, per game when the update averaged several games' losses.
    private static string Reading(CheckpointOptimizer inspected)
    {
        if (inspected.Regime.ShareAboveEps >= 0.5) return "mostly normalised steps";
        double factor = inspected.StepSize / inspected.Regime.Eps;
        int k = inspected.AveragedGames;
        string perGame = k > 1 ? $", so {G(factor / k)} times each game's own (its loss is one of the {k} averaged)" : "";
        return $"mostly SGD-like, a step is about lr/eps = {G(factor)} times the gradient{perGame}";
    }

    private static string G(double v) => v.ToString("g4", CultureInfo.InvariantCulture);
    private static string E(double v) => v.ToString("0.00e+00", CultureInfo.InvariantCulture);
    private static string P(double v) => v.ToString("0.00 %", CultureInfo.InvariantCulture);
}
