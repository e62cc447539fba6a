namespace MtlAgent.Agent.Checkpoints;

/// <summary>A checkpoint is missing, truncated, corrupt, of an unknown schema, or does not match the configuration.</summary>
public sealed class CheckpointException(string message, Exception? inner = null) : Exception(message, inner);
