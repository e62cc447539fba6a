using System.Collections;
using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace MtlAgent.Agent.Configuration;

/// <summary>Writes a resolved config as YAML (the run's config.yaml) and reads YAML text into mappings.</summary>
public static class ConfigYaml
{
    /// <summary>The full config as YAML text, every key present, readable back by <see cref="ConfigBinder"/>.</summary>
    public static string Write(TrainConfig config)
    {
        var stream = new YamlStream(new YamlDocument(ToNode(config)));
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        stream.Save(writer, assignAnchors: false);
        // YamlStream ends documents with an explicit "..." marker; config files read better without it.
        return writer.ToString().Replace("\n...\n", "\n").TrimEnd() + "\n";
    }

    /// <summary>Every leaf setting as (dotted key, YAML text of its value), in declaration order.</summary>
    public static IReadOnlyList<(string Key, string Value)> Flatten(TrainConfig config)
    {
        var rows = new List<(string, string)>();
        void Walk(object record, string prefix)
        {
            foreach (var (key, property) in ConfigKeys.Of(record.GetType()))
            {
                var value = property.GetValue(record);
                if (value is not null && ConfigKeys.IsSection(property.PropertyType)) Walk(value, prefix + key + ".");
                else rows.Add((prefix + key, Inline(ToNode(value))));
            }
        }
        Walk(config, "");
        return rows;
    }

    /// <summary>Parses YAML text whose root must be a mapping (or empty); <paramref name="source"/> names it in errors.</summary>
    public static YamlMappingNode ReadMapping(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ConfigException($"{source}: invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}");
        }
        if (stream.Documents.Count == 0) return new YamlMappingNode();
        return stream.Documents[0].RootNode switch
        {
            YamlMappingNode m => m,
            YamlScalarNode { Value: null or "" } => new YamlMappingNode(),
            _ => throw new ConfigException($"{source}: expected keys such as 'learner:' at the top level"),
        };
    }

    /// <summary>Parses one value as YAML (so <c>[16, 32]</c> is a list); used by <c>--set key=value</c>.</summary>
    public static YamlNode ReadValue(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ConfigException($"{source}: '{text}' is not a valid value: {e.Message}");
        }
        return stream.Documents.Count == 0 ? new YamlScalarNode("") : stream.Documents[0].RootNode;
    }

    private static YamlNode ToNode(object? value)
    {
        switch (value)
        {
            case null: return new YamlScalarNode("null");
            case string s: return new YamlScalarNode(s) { Style = ScalarStyle.DoubleQuoted };
            case Enum e: return new YamlScalarNode(ConfigChoices.Name(e)) { Style = ScalarStyle.DoubleQuoted };
            case bool b: return new YamlScalarNode(b ? "true" : "false");
            case double d: return new YamlScalarNode(d.ToString("R", CultureInfo.InvariantCulture));
            case IFormattable f when value.GetType().IsPrimitive: return new YamlScalarNode(f.ToString(null, CultureInfo.InvariantCulture));
            case IDictionary dict:
            {
                var map = new YamlMappingNode { Style = MappingStyle.Flow };
                foreach (DictionaryEntry e in dict)
                    map.Add(new YamlScalarNode((string)e.Key) { Style = ScalarStyle.DoubleQuoted }, ToNode(e.Value));
                return map;
            }
            case IEnumerable list:
            {
                var seq = new YamlSequenceNode { Style = SequenceStyle.Flow };
                foreach (var item in list) seq.Add(ToNode(item));
                return seq;
            }
            default:
            {
                var map = new YamlMappingNode();
                foreach (var (key, property) in ConfigKeys.Of(value.GetType())) map.Add(key, ToNode(property.GetValue(value)));
                return map;
            }
        }
    }

    private static string Inline(YamlNode node)
    {
        var stream = new YamlStream(new YamlDocument(node));
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        stream.Save(writer, assignAnchors: false);
        return writer.ToString().Replace("\n...\n", "\n").Trim();
    }
}
