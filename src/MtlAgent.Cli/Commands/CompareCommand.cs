using System.CommandLine;
using MtlAgent.Agent.IO;
using MtlAgent.Agent.Studies;
using MtlAgent.Cli.Output;

namespace MtlAgent.Cli.Commands;

/// <summary><c>mtl compare STUDY|RUN... [--json FILE]</c>: multi-game runs against their single-game baselines.</summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("STUDY|RUN")
        {
            Description = "A study directory (mtl study transfer), or run directories: multi-game runs and single-game baselines",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<string?>("--json")
        {
            HelpName = "FILE", Description = "Also write the comparison as JSON (schema in the README)",
        };
        var cmd = new Command("compare",
            "Compare multi-game runs with single-game baselines: returns, ratio r, Δp, areas under the curves, " +
            "transfer verdicts, task affinity");
        cmd.Arguments.Add(paths);
        cmd.Options.Add(json);
        cmd.SetAction(parse =>
        {
            var given = parse.GetValue(paths)!;
            var jsonPath = parse.GetValue(json);
            if (jsonPath is not null) Agent.Evaluation.EvaluationJson.CheckDestination(jsonPath);
            var comparison = ComparisonInputs.Load(given).Compare();
            ComparisonTable.Write(ConsoleOutput.Create(), comparison);
            if (jsonPath is not null) Durable.WriteAllText(Path.GetFullPath(jsonPath), ComparisonDocuments.Json(comparison));
            if (given.Length == 1 && TransferStudy.Load(given[0]) is not null) Write(given[0], comparison);
            return 0;
        });
        return cmd;
    }

    /// <summary>Writes <c>compare.md</c> and <c>compare.json</c> into a study directory.</summary>
    public static void Write(string studyDirectory, TransferComparison comparison)
    {
        Durable.WriteAllText(Path.Combine(studyDirectory, "compare.md"),
            ComparisonDocuments.Markdown(comparison, $"Transfer: {Path.GetFileName(Path.GetFullPath(studyDirectory))}"));
        Durable.WriteAllText(Path.Combine(studyDirectory, "compare.json"), ComparisonDocuments.Json(comparison));
    }
}
