using YamlDotNet.RepresentationModel;

namespace MtlAgent.Agent.Configuration;

/// <summary>
/// Layers config sources, later over earlier (preset &lt; config file &lt; <c>--set</c> &lt; explicit flags),
/// then binds and validates. Sections merge key by key; lists and values replace.
/// </summary>
public sealed class ConfigBuilder
{
    private readonly YamlMappingNode _merged = new();

    /// <summary>Adds an embedded preset (see <see cref="Presets"/>).</summary>
    public ConfigBuilder AddPreset(string name) => AddYaml(Presets.Text(name), $"preset '{name}'");

    /// <summary>Adds a YAML config file.</summary>
    public ConfigBuilder AddFile(string path)
    {
        if (!File.Exists(path)) throw new ConfigException($"config file '{path}' does not exist");
        return AddYaml(File.ReadAllText(path), $"config file '{path}'");
    }

    /// <summary>
    /// Adds YAML text; <paramref name="source"/> names it in error messages. A top-level
    /// <c>extends: PRESET</c> adds that preset first, in this layer's place.
    /// </summary>
    public ConfigBuilder AddYaml(string text, string source)
    {
        var mapping = ConfigYaml.ReadMapping(text, source);
        var extends = new YamlScalarNode(ExtendsKey);
        if (mapping.Children.TryGetValue(extends, out var parent))
        {
            if (parent is not YamlScalarNode { Value: { Length: > 0 } name })
                throw new ConfigException($"{source}: {ExtendsKey} expects a preset name; known: {string.Join(", ", Presets.Names)}");
            mapping.Children.Remove(extends);
            AddPreset(name);
        }
        return Add(mapping, source);
    }

    /// <summary>Top-level key of a preset or config file naming the preset it builds on.</summary>
    public const string ExtendsKey = "extends";

    /// <summary>Adds one <c>key=value</c> assignment; the key is a dotted path, the value is read as YAML.</summary>
    public ConfigBuilder Set(string assignment)
    {
        var eq = assignment.IndexOf('=');
        if (eq <= 0) throw new ConfigException($"--set '{assignment}': expected key=value, e.g. learner.learning_rate=0.0001");
        var key = assignment[..eq].Trim();
        return Set(key, ConfigYaml.ReadValue(assignment[(eq + 1)..], $"--set {key}"), "--set");
    }

    /// <summary>Sets one dotted path to a YAML node (used for explicit command-line flags too).</summary>
    public ConfigBuilder Set(string key, YamlNode value, string source)
    {
        var parts = key.Split('.');
        if (parts.Any(p => p.Length == 0)) throw new ConfigException($"{source}: '{key}' is not a key path like learner.learning_rate");
        YamlNode node = value;
        for (var i = parts.Length - 1; i >= 0; i--) node = new YamlMappingNode(new YamlScalarNode(parts[i]), node);
        return Add((YamlMappingNode)node, source);
    }

    /// <summary>Sets one dotted path to a plain scalar.</summary>
    public ConfigBuilder Set(string key, string scalar, string source) => Set(key, new YamlScalarNode(scalar), source);

    /// <summary>Sets one dotted path to a list of scalars.</summary>
    public ConfigBuilder SetList(string key, IEnumerable<string> items, string source) =>
        Set(key, new YamlSequenceNode(items.Select(i =>
            (YamlNode)new YamlScalarNode(i) { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted })), source);

    /// <summary>The resolved, validated config.</summary>
    public TrainConfig Build()
    {
        var config = ConfigBinder.Bind(_merged);
        ConfigValidator.Validate(config);
        return config;
    }

    private ConfigBuilder Add(YamlMappingNode layer, string source)
    {
        // Binding each layer alone first puts the layer's name in key and type errors.
        try
        {
            ConfigBinder.Bind(layer);
        }
        catch (ConfigException e)
        {
            throw new ConfigException($"{source}: {e.Message}");
        }
        Merge(_merged, layer);
        return this;
    }

    private static void Merge(YamlMappingNode into, YamlMappingNode from)
    {
        foreach (var (key, value) in from.Children)
        {
            if (value is YamlMappingNode section && into.Children.TryGetValue(key, out var existing) && existing is YamlMappingNode target
                && !IsDictionaryKey(key))
                Merge(target, section);
            else
                into.Children[key] = value is YamlMappingNode m && !IsDictionaryKey(key) ? Copy(m) : value;
        }
    }

    // Dictionary-valued settings (tasks.game_weights) replace as a whole, like lists.
    private static bool IsDictionaryKey(YamlNode key) => key is YamlScalarNode { Value: "game_weights" };

    private static YamlMappingNode Copy(YamlMappingNode m)
    {
        var copy = new YamlMappingNode();
        foreach (var (k, v) in m.Children) copy.Add(k, v is YamlMappingNode inner ? Copy(inner) : v);
        return copy;
    }
}
