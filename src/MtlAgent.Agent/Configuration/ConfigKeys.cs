using System.Reflection;
using System.Text;

namespace MtlAgent.Agent.Configuration;

/// <summary>The YAML key schema of the config records: snake_case names of their init properties.</summary>
public static class ConfigKeys
{
    /// <summary>snake_case form of a PascalCase property name (<c>LearningRate</c> -> <c>learning_rate</c>).</summary>
    public static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]))) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>The settable properties of a config record keyed by their YAML names, in declaration order.</summary>
    public static IReadOnlyList<(string Key, PropertyInfo Property)> Of(Type record) =>
        record.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.MetadataToken)
            .Select(p => (SnakeCase(p.Name), p))
            .ToList();

    /// <summary>True for the nested option records (sections such as <c>learner</c>).</summary>
    public static bool IsSection(Type type) =>
        type.IsClass && type.Namespace == typeof(TrainConfig).Namespace && type.Name.EndsWith("Config", StringComparison.Ordinal);
}
