namespace MtlAgent.Envs;

/// <summary>A finished episode reported by <see cref="VectorEnv.Step"/>.</summary>
/// <param name="EnvIndex">Which copy finished.</param>
/// <param name="Return">Sum of its rewards.</param>
/// <param name="Length">Number of steps.</param>
/// <param name="Truncated">Cut by the step cap rather than ended by the game.</param>
public readonly record struct EpisodeEnd(int EnvIndex, double Return, int Length, bool Truncated);
