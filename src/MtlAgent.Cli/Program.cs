using System.CommandLine;
using MtlAgent.Cli;
using MtlAgent.Cli.Commands;

var root = new RootCommand("mtl: one DQN agent learning the five MinAtar games at once");
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(ReplayCommand.Create());
root.Subcommands.Add(EnvsCommand.Create());
root.Subcommands.Add(RolloutCommand.Create());
// Exceptions reach CliErrors (one 'error:' line, exit 1) instead of System.CommandLine's stack-trace handler.
var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
return CliErrors.Run(() => root.Parse(args).Invoke(invocation));
