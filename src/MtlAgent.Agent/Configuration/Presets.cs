using System.Reflection;

namespace MtlAgent.Agent.Configuration;

/// <summary>Named config presets: documented YAML files embedded in this assembly (Configuration/Presets/).</summary>
public static class Presets
{
    private const string Prefix = "presets/";

    /// <summary>The preset used when none is named.</summary>
    public const string Default = "minatar5";

    /// <summary>Names of every embedded preset, sorted.</summary>
    public static IReadOnlyList<string> Names { get; } = Assembly.GetExecutingAssembly().GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..^".yaml".Length])
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>The YAML text of a preset.</summary>
    public static string Text(string name)
    {
        if (!Names.Contains(name)) throw new ConfigException($"unknown preset '{name}'; known: {string.Join(", ", Names)}");
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(Prefix + name + ".yaml")!;
        return new StreamReader(stream).ReadToEnd();
    }
}
