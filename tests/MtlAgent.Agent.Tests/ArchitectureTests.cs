using System.Text.RegularExpressions;

namespace MtlAgent.Agent.Tests;

/// <summary>Dependencies point one way (STYLE.md): the Agent's namespaces, read from their sources, form no cycle.</summary>
public partial class ArchitectureTests
{
    [GeneratedRegex(@"^namespace MtlAgent\.Agent(?:\.(\w+))?", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^using (?:static )?MtlAgent\.Agent\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex UsingLine();

    private static string SourceRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MtlAgent.sln"))) return Path.Combine(dir.FullName, "src", "MtlAgent.Agent");
        throw new DirectoryNotFoundException($"no MtlAgent.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>Namespace (first level under MtlAgent.Agent) -> the namespaces its files use, with one file that does.</summary>
    private static Dictionary<string, Dictionary<string, string>> Uses()
    {
        var uses = new Dictionary<string, Dictionary<string, string>>();
        string root = SourceRoot();
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file);
            if (relative.StartsWith("obj", StringComparison.Ordinal) || relative.StartsWith("bin", StringComparison.Ordinal)) continue;
            var text = File.ReadAllText(file);
            var ns = NamespaceLine().Match(text);
            if (!ns.Success) continue;
            string from = ns.Groups[1].Success ? ns.Groups[1].Value : "(root)";
            var edges = uses.TryGetValue(from, out var e) ? e : uses[from] = [];
            foreach (Match u in UsingLine().Matches(text))
                if (u.Groups[1].Value != from) edges.TryAdd(u.Groups[1].Value, relative);
        }
        return uses;
    }

    [Fact]
    public void TheAgentsNamespacesFormNoCycle()
    {
        var uses = Uses();
        Assert.True(uses.Count > 10, $"found only {uses.Count} namespaces under {SourceRoot()}");
        var state = new Dictionary<string, int>();              // 1: on the current path, 2: done
        var path = new List<string>();
        void Visit(string ns)
        {
            state[ns] = 1;
            path.Add(ns);
            foreach (var (next, file) in uses.GetValueOrDefault(ns) ?? [])
            {
                if (state.GetValueOrDefault(next) == 1)
                    Assert.Fail($"namespace cycle {string.Join(" -> ", path.SkipWhile(p => p != next))} -> {next} (last edge from {file})");
                if (state.GetValueOrDefault(next) == 0) Visit(next);
            }
            path.RemoveAt(path.Count - 1);
            state[ns] = 2;
        }
        foreach (var ns in uses.Keys.Order()) if (state.GetValueOrDefault(ns) == 0) Visit(ns);
    }

    /// <summary>The layers of the README's layout, lowest first: a namespace uses only namespaces of lower layers.</summary>
    private static readonly string[][] Layers =
    [
        ["Configuration"], ["Engine", "IO", "Randomness"], ["Schedules", "Tasks", "Monitoring"], ["Model"], ["Replay"],
        ["Learning"], ["Acting"], ["Training"], ["Evaluation", "Checkpoints"], ["Runs"], ["Studies", "Benchmarks"],
    ];

    [Fact]
    public void EachNamespaceUsesOnlyLowerLayers()
    {
        int Layer(string ns) => Array.FindIndex(Layers, l => l.Contains(ns));
        foreach (var (ns, uses) in Uses())
        {
            Assert.True(Layer(ns) >= 0, $"namespace {ns} is in no layer of the README's layout");
            foreach (var (used, file) in uses)
                Assert.True(Layer(used) < Layer(ns), $"{ns} uses {used} ({file}), which is not below it");
        }
    }
}
