using System.Globalization;
using System.Reflection;
using YamlDotNet.RepresentationModel;

namespace MtlAgent.Agent.Configuration;

/// <summary>
/// Builds config records from a YAML mapping: keys are snake_case property names, absent keys keep
/// the record's defaults. Errors name the dotted key and what would be accepted.
/// </summary>
public static class ConfigBinder
{
    /// <summary>Binds <paramref name="root"/> onto a default <see cref="TrainConfig"/>.</summary>
    public static TrainConfig Bind(YamlMappingNode root) => (TrainConfig)BindRecord(typeof(TrainConfig), root, "");

    private static object BindRecord(Type record, YamlMappingNode mapping, string prefix)
    {
        var instance = Activator.CreateInstance(record)!;
        var keys = ConfigKeys.Of(record);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? keyNode.ToString();
            var path = prefix + key;
            var match = keys.FirstOrDefault(k => k.Key == key);
            if (match.Property is null)
            {
                var section = prefix.Length == 0 ? "known top-level keys" : $"known keys under '{prefix.TrimEnd('.')}'";
                throw new ConfigException($"unknown key '{path}'; {section}: {string.Join(", ", keys.Select(k => k.Key))}");
            }
            match.Property.SetValue(instance, Convert(match.Property.PropertyType, valueNode, path, match.Property));
        }
        return instance;
    }

    private static object? Convert(Type type, YamlNode node, string path, PropertyInfo? property = null)
    {
        if (ConfigKeys.IsSection(type))
        {
            if (node is not YamlMappingNode section)
                throw new ConfigException(
                    $"{path}: expected a section of keys ({string.Join(", ", ConfigKeys.Of(type).Select(k => k.Key))})");
            return BindRecord(type, section, path + ".");
        }
        if (IsNull(node))
        {
            if (property is not null && AllowsNull(type, property)) return null;
            throw new ConfigException($"{path}: a value is required");
        }
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var element = underlying.GetGenericArguments()[0];
            if (node is not YamlSequenceNode sequence)
                throw new ConfigException($"{path}: expected a list, e.g. [a, b]; got '{Describe(node)}'");
            var array = Array.CreateInstance(element, sequence.Children.Count);
            for (var i = 0; i < array.Length; i++) array.SetValue(Convert(element, sequence.Children[i], $"{path}[{i}]"), i);
            return array;
        }
        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
        {
            var valueType = underlying.GetGenericArguments()[1];
            if (node is not YamlMappingNode map)
                throw new ConfigException($"{path}: expected a mapping, e.g. {{key: value}}; got '{Describe(node)}'");
            var dict = (System.Collections.IDictionary)Activator.CreateInstance(
                typeof(Dictionary<,>).MakeGenericType(typeof(string), valueType))!;
            foreach (var (k, v) in map.Children)
            {
                var name = (k as YamlScalarNode)?.Value ?? k.ToString();
                dict[name] = Convert(valueType, v, $"{path}.{name}");
            }
            return dict;
        }
        if (node is not YamlScalarNode scalar)
            throw new ConfigException($"{path}: expected a single value, got a {(node is YamlSequenceNode ? "list" : "section")}");
        return ParseScalar(underlying, scalar.Value ?? "", path);
    }

    /// <summary>Parses one scalar the way config files and <c>--set</c> spell it.</summary>
    public static object ParseScalar(Type type, string text, string path)
    {
        var number = text.Replace("_", "");
        if (type == typeof(string)) return text;
        if (type.IsEnum) return ConfigChoices.Parse(type, text, path);
        if (type == typeof(bool))
            return text.ToLowerInvariant() switch
            {
                "true" => true,
                "false" => false,
                _ => throw new ConfigException($"{path}: '{text}' is not true or false"),
            };
        if (type == typeof(int) || type == typeof(long))
        {
            // 5e6 is accepted for counts when it is a whole number.
            if (long.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)
                || (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                    && d == Math.Floor(d) && Math.Abs(d) < 9e18 && (l = (long)d) == d))
            {
                if (type == typeof(long)) return l;
                if (l is >= int.MinValue and <= int.MaxValue) return (int)l;
                throw new ConfigException($"{path}: '{text}' is out of range (at most {int.MaxValue})");
            }
            throw new ConfigException($"{path}: '{text}' is not an integer");
        }
        if (type == typeof(double))
        {
            if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
            throw new ConfigException($"{path}: '{text}' is not a number");
        }
        throw new ConfigException($"{path}: values of type {type.Name} cannot be configured");
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any } s
        && (s.Value is null or "" or "~" or "null" or "Null" or "NULL");

    private static bool AllowsNull(Type type, PropertyInfo property) =>
        Nullable.GetUnderlyingType(type) is not null
        || new NullabilityInfoContext().Create(property).WriteState == NullabilityState.Nullable;

    private static string Describe(YamlNode node) => node is YamlScalarNode s ? s.Value ?? "" : node.ToString();
}
