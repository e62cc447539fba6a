using System.Text.Json.Serialization;

namespace MtlAgent.Agent.Evaluation;

/// <summary>The game with the lowest normalised score.</summary>
/// <param name="Env">Registry id of the game.</param>
/// <param name="NormalizedScore">Its normalised score.</param>
public sealed record WorstGame(
    [property: JsonPropertyName("env")] string Env,
    [property: JsonPropertyName("normalized_score")] double NormalizedScore);

/// <summary>Evaluation of a policy on several games; serialises to the documented <c>mtl eval --json</c> document.</summary>
/// <param name="Checkpoint">Checkpoint directory evaluated (null when evaluating a live network during training).</param>
/// <param name="Frames">Environment frames per game the policy was trained for.</param>
/// <param name="Games">One result per game, in evaluation order.</param>
/// <param name="Worst">The game with the lowest normalised score.</param>
/// <param name="MedianNormalizedScore">Median of the games' normalised scores.</param>
/// <param name="MeanNormalizedScore">Mean of the games' normalised scores.</param>
public sealed record EvaluationReport(
    [property: JsonPropertyName("checkpoint")] string? Checkpoint,
    [property: JsonPropertyName("frames")] long Frames,
    [property: JsonPropertyName("games")] IReadOnlyList<GameEvaluation> Games,
    [property: JsonPropertyName("worst")] WorstGame Worst,
    [property: JsonPropertyName("median_normalized_score")] double MedianNormalizedScore,
    [property: JsonPropertyName("mean_normalized_score")] double MeanNormalizedScore)
{
    /// <summary>Builds the report and its cross-game summary (worst, median, mean normalised score) from per-game results.</summary>
    public static EvaluationReport Summarize(string? checkpoint, long frames, IReadOnlyList<GameEvaluation> games)
    {
        if (games.Count == 0) throw new ArgumentException("no games evaluated", nameof(games));
        var worst = games.MinBy(g => g.NormalizedScore)!;
        var scores = games.Select(g => g.NormalizedScore).ToArray();
        return new EvaluationReport(checkpoint, frames, games, new WorstGame(worst.Env, worst.NormalizedScore),
            ReturnStatistics.MedianOf(scores), scores.Average());
    }
}
