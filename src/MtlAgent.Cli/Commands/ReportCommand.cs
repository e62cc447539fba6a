using System.CommandLine;
using MtlAgent.Agent.Evaluation;
using MtlAgent.Agent.IO;
using MtlAgent.Agent.Runs;
using MtlAgent.Agent.Studies;
using MtlAgent.Cli.Reports;

namespace MtlAgent.Cli.Commands;

/// <summary><c>mtl report RUN|STUDY [--out FILE]</c>: one self-contained HTML page of a training run or a transfer study.</summary>
public static class ReportCommand
{
    private const string Accepted = "A run directory (mtl train) or a study directory (mtl study transfer)";

    /// <summary>The file written into the directory when <c>--out</c> is not given.</summary>
    public const string DefaultFile = "report.html";

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var path = new Argument<string>("RUN|STUDY") { Description = Accepted };
        var output = new Option<string?>("--out") { HelpName = "FILE", Description = $"HTML file to write (default <dir>/{DefaultFile})" };
        var cmd = new Command("report", "Write one self-contained HTML page of a run or a study: learning curves against the "
            + "published DQN, worst game, normalised scores, PopArt, losses, task weights, gradient conflicts, task affinity, "
            + "checkpoints, config");
        cmd.Arguments.Add(path);
        cmd.Options.Add(output);
        cmd.SetAction(parse =>
        {
            var directory = parse.GetValue(path)!;
            var html = Render(directory);
            var destination = EvaluationJson.CheckDestination(parse.GetValue(output) ?? Path.Combine(directory, DefaultFile));
            Durable.WriteAllText(destination, html);
            Console.WriteLine($"Report written to {destination}");
            return 0;
        });
        return cmd;
    }

    /// <summary>The page of the run or study in <paramref name="directory"/>; refuses a directory that is neither.</summary>
    public static string Render(string directory)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"'{directory}' does not exist; give {Accepted.ToLowerInvariant()}");
        if (TransferStudy.Load(directory) is { } study) return StudyReport.Html(directory, study);
        var run = new RunDirectory(directory);
        if (File.Exists(run.ConfigPath)) return RunReport.Html(run);
        throw new ArgumentException($"'{directory}' is neither a run (no config.yaml) nor a study (no {TransferStudy.FileName}); " +
            $"give {Accepted.ToLowerInvariant()}");
    }
}
