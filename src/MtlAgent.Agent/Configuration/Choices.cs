using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MtlAgent.Agent.Configuration;

/// <summary>How the task descriptor (one-hot of the game) enters the network.</summary>
public enum TaskConditioning
{
    /// <summary>Not at all.</summary>
    None,
    /// <summary>Appended to the flattened conv features before the hidden layer.</summary>
    Concat,
    /// <summary>Scales and shifts the hidden features per game (FiLM), starting at identity.</summary>
    Film,
}

/// <summary>How the games share the trunk (the heads are per game in every design).</summary>
public enum Sharing
{
    /// <summary>One trunk for every game.</summary>
    Hard,
    /// <summary>One trunk per game, nothing shared but the process.</summary>
    Separate,
    /// <summary>One trunk per game, an L2 penalty pulling each toward their mean (soft parameter sharing).</summary>
    Soft,
    /// <summary>One trunk column per game, their activations mixed after every layer by learned matrices (Misra et al. 2016).</summary>
    CrossStitch,
    /// <summary>The convolutions shared by every game, a hidden layer per game (shared bottom, per-game towers).</summary>
    Conv,
    /// <summary>Convolutions per game over its own channels, one hidden layer for every game (game-specific input layers).</summary>
    Hidden,
}

/// <summary>What the trunk is made of.</summary>
public enum TrunkKind
{
    /// <summary>One trunk.</summary>
    Plain,
    /// <summary>Several expert trunks, mixed per game by a learned softmax gate (mixture of experts).</summary>
    Moe,
}

/// <summary>The optimizer of the learner.</summary>
public enum OptimizerKind
{
    /// <summary>RMSprop (the MinAtar reference: centered, eps outside the square root).</summary>
    [ConfigName("rmsprop")] RmsProp,
    /// <summary>Adam.</summary>
    Adam,
}

/// <summary>How the learner's step size follows the number of games each update averages.</summary>
public enum LearningRateScaling
{
    /// <summary><c>learning_rate</c> as given, whatever the number of games.</summary>
    None,
    /// <summary>
    /// <c>learning_rate</c> times the number of games whose losses each update averages (K with balanced sampling and the
    /// mean reduction, else 1), so each game's step is about its single-game size.
    /// </summary>
    Games,
    /// <summary>
    /// <c>learning_rate</c> times that number on the parameters of one game alone (heads, per-game layers), and
    /// <c>learning_rate</c> itself on the parameters every game's loss reaches: each game's own parameters step as in
    /// <c>games</c>, while the shared trunk moves by the mean of the games' steps rather than their sum.
    /// </summary>
    [ConfigName("per_game_parameters")] PerGameParameters,
}

/// <summary>Whose gradients the optimizer's running statistics (RMSprop's mean squares, Adam's moments) follow.</summary>
public enum OptimizerState
{
    /// <summary>One state for every parameter, fed by every update.</summary>
    Shared,
    /// <summary>
    /// One state per game, fed only by that game's updates (one game per update: <c>tasks.sampling: round_robin</c>), so the
    /// shared trunk is normalised by each game's own gradient statistics, as when that game trains alone.
    /// </summary>
    PerGame,
}

/// <summary>What the learner does to the games' gradients on the shared parameters before they are combined.</summary>
public enum GradientSurgery
{
    /// <summary>Nothing: the shared parameters take the gradient of the combined loss.</summary>
    None,
    /// <summary>
    /// PCGrad (Yu et al., NeurIPS 2020): each game's gradient loses its component along every other game's gradient it
    /// conflicts with (negative inner product) before the weighted combination; the per-game parameters are untouched.
    /// </summary>
    [ConfigName("pcgrad")] PcGrad,
}

/// <summary>How the games' losses are weighed against each other.</summary>
public enum Weighting
{
    /// <summary>Every game weighs 1.</summary>
    Uniform,
    /// <summary>Softmax emphasis on the games with the lowest normalised scores, with a uniform floor.</summary>
    WorstCase,
    /// <summary>The min-max objective: all weight on the game with the lowest normalised score, with a uniform floor.</summary>
    [ConfigName("minmax")] MinMax,
    /// <summary>GradNorm (Chen et al., ICML 2018): learned weights that balance the games' gradient norms on the hidden layer.</summary>
    [ConfigName("gradnorm")] GradNorm,
    /// <summary>Learned per-game log-variances (Kendall et al., CVPR 2018): weight exp(-s) on each loss, plus s.</summary>
    Uncertainty,
}

/// <summary>How the games' (weighted) losses of an update make the one loss the optimizer steps on.</summary>
public enum LossReduction
{
    /// <summary>Their mean: each of K games' gradients enters the step at 1/K of its single-game size.</summary>
    Mean,
    /// <summary>Their sum: each game's gradient enters the step at the size it has when that game trains alone.</summary>
    Sum,
}

/// <summary>How updates draw from the games' replays.</summary>
public enum Sampling
{
    /// <summary>Every update mixes all games.</summary>
    Balanced,
    /// <summary>Each update draws from one game, the games in turn.</summary>
    RoundRobin,
}

/// <summary>Where the tensors live.</summary>
public enum ComputeDevice
{
    /// <summary>The CPU.</summary>
    Cpu,
    /// <summary>The first CUDA GPU.</summary>
    Cuda,
}

/// <summary>The configuration name of an enum member, when it is not the member's snake_case name.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class ConfigNameAttribute(string name) : Attribute
{
    /// <summary>The name in config files and on the command line.</summary>
    public string Name { get; } = name;
}

/// <summary>Names of the config choices (enums) as config files and the command line spell them.</summary>
public static class ConfigChoices
{
    /// <summary>
    /// The name of <paramref name="value"/>: its <see cref="ConfigNameAttribute"/>,
    /// else snake_case (<c>WorstCase</c> -> <c>worst_case</c>).
    /// </summary>
    public static string Name(Enum value)
    {
        var field = value.GetType().GetField(value.ToString())!;
        return field.GetCustomAttribute<ConfigNameAttribute>()?.Name ?? ConfigKeys.SnakeCase(value.ToString());
    }

    /// <summary>Every accepted name of <typeparamref name="T"/>, in declaration order.</summary>
    public static IReadOnlyList<string> Names<T>() where T : struct, Enum => Names(typeof(T));

    /// <summary>Every accepted name of the enum <paramref name="type"/>, in declaration order.</summary>
    public static IReadOnlyList<string> Names(Type type) => Enum.GetValues(type).Cast<Enum>().Select(Name).ToList();

    /// <summary>
    /// The member named <paramref name="text"/>; throws <see cref="ConfigException"/>
    /// naming <paramref name="path"/> and the accepted names.
    /// </summary>
    public static object Parse(Type type, string text, string path)
    {
        foreach (Enum value in Enum.GetValues(type))
            if (Name(value) == text) return value;
        throw new ConfigException($"{path}: '{text}' is not accepted; accepted: {string.Join(", ", Names(type))}");
    }

    /// <summary><see cref="Parse(Type, string, string)"/> for <typeparamref name="T"/>.</summary>
    public static T Parse<T>(string text, string path) where T : struct, Enum => (T)Parse(typeof(T), text, path);
}

/// <summary>JSON for the config choices: each enum as its config name (what schema-1 <c>state.json</c> files hold).</summary>
public sealed class ConfigChoiceJsonConverter : JsonConverterFactory
{
    /// <inheritdoc />
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsEnum && typeToConvert.Namespace == typeof(ConfigChoices).Namespace;

    /// <inheritdoc />
    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    private sealed class Converter<T> : JsonConverter<T> where T : struct, Enum
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            string text = reader.GetString()
                ?? throw new JsonException($"null where one of {string.Join(", ", ConfigChoices.Names<T>())} is expected");
            try { return ConfigChoices.Parse<T>(text, typeof(T).Name); }
            catch (ConfigException e) { throw new JsonException(e.Message, e); }
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(ConfigChoices.Name(value));
    }
}
