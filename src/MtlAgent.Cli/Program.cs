using System.CommandLine;
using MtlAgent.Cli;
using MtlAgent.Cli.Commands;

var root = new RootCommand("mtl: one DQN agent learning the five MinAtar games at once");
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(ReplayCommand.Create());
root.Subcommands.Add(EnvsCommand.Create());
root.Subcommands.Add(RolloutCommand.Create());
root.Subcommands.Add(DoctorCommand.Create());
root.Subcommands.Add(StudyCommand.Create());
root.Subcommands.Add(CompareCommand.Create());
root.Subcommands.Add(ReportCommand.Create());
root.Subcommands.Add(InspectCommand.Create());
// System.CommandLine would print its own "Unhandled exception" with a stack trace; CliErrors prints one line instead.
var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
return CliErrors.Run(() => root.Parse(args).Invoke(invocation));
