using System.CommandLine;
using MtlAgent.Envs;

namespace MtlAgent.Cli.Commands;

/// <summary><c>mtl envs</c>: the registered environments with their channels and actions.</summary>
public static class EnvsCommand
{
    public static Command Create()
    {
        var cmd = new Command("envs", "List the registered environments (id, observation channels, actions)");
        cmd.SetAction(_ =>
        {
            Console.WriteLine($"{"id",-26} {"channels",8}  actions");
            foreach (string id in EnvRegistry.Ids)
            {
                EnvSpec spec = EnvRegistry.Spec(id);
                Console.WriteLine($"{id,-26} {spec.Channels,8}  {spec.ActionCount}: {string.Join(", ", spec.ActionNames)}");
            }
            Console.WriteLine("-v1: minimal action set; -v0: all six actions (as in the MinAtar paper). " +
                "Sticky actions 0.1, no time limit.");
            return 0;
        });
        return cmd;
    }
}
