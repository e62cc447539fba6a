using System.Text.Json.Serialization;

namespace MtlAgent.Agent.Evaluation;

/// <summary>Result of evaluating one game: return statistics over its episodes and the normalised score of the mean.</summary>
/// <param name="Env">Registry id of the game.</param>
/// <param name="Episodes">Episodes played.</param>
/// <param name="ReturnMean">Mean undiscounted return.</param>
/// <param name="ReturnSem">Standard error of the mean return.</param>
/// <param name="ReturnMedian">Median return.</param>
/// <param name="NormalizedScore">Mean return normalised against the random and reference returns of the game.</param>
/// <param name="Truncated">Episodes stopped by the step cap rather than by the game.</param>
public sealed record GameEvaluation(
    [property: JsonPropertyName("env")] string Env,
    [property: JsonPropertyName("episodes")] int Episodes,
    [property: JsonPropertyName("return_mean")] double ReturnMean,
    [property: JsonPropertyName("return_sem")] double ReturnSem,
    [property: JsonPropertyName("return_median")] double ReturnMedian,
    [property: JsonPropertyName("normalized_score")] double NormalizedScore,
    [property: JsonPropertyName("truncated")] int Truncated)
{
    /// <summary>Return of each episode, in episode order (not part of the JSON document).</summary>
    [JsonIgnore]
    public IReadOnlyList<double> Returns { get; init; } = [];

    /// <summary>Steps of each episode, in episode order (not part of the JSON document).</summary>
    [JsonIgnore]
    public IReadOnlyList<int> Steps { get; init; } = [];
}
