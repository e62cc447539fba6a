namespace MtlAgent.Agent.Learning;

/// <summary>A loss or a target became NaN or infinite; thrown before any optimizer step or PopArt update uses it.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
