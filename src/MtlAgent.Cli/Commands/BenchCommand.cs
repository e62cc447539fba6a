using System.CommandLine;

namespace MtlAgent.Cli.Commands;

/// <summary><c>mtl bench envs|learner|train</c>: throughput benchmarks with optional JSON output.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Measure throughput (environments, learner updates, end-to-end training)");
        bench.Subcommands.Add(BenchEnvsCommand.Create());
        bench.Subcommands.Add(BenchLearnerCommand.Create());
        bench.Subcommands.Add(BenchTrainCommand.Create());
        return bench;
    }
}
