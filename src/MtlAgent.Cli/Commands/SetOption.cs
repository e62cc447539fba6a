using System.CommandLine;

namespace MtlAgent.Cli.Commands;

/// <summary>The repeatable <c>--set key=value</c> option of <c>mtl train</c>, <c>mtl study transfer</c> and <c>mtl bench</c>.</summary>
public static class SetOption
{
    /// <summary>A <c>--set</c> option, one assignment per occurrence, described by <paramref name="description"/>.</summary>
    public static Option<string[]> Create(string description) => new("--set")
    {
        HelpName = "key=value", Description = description, AllowMultipleArgumentsPerToken = false,
    };
}
