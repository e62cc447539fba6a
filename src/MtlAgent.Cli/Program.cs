using System.CommandLine;
using MtlAgent.Cli;
using MtlAgent.Cli.Commands;

var root = new RootCommand("mtl: one DQN agent learning the five MinAtar games at once");
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
return CliErrors.Run(() => root.Parse(args).Invoke());
