namespace MtlAgent.Agent.Configuration;

/// <summary>Per-game replay buffer.</summary>
public sealed record ReplayConfig
{
    /// <summary>Transitions kept per game (MinAtar REPLAY_BUFFER_SIZE: 100,000).</summary>
    public int CapacityPerGame { get; init; } = 100_000;

    /// <summary>Rows drawn from each game's replay per update (MinAtar BATCH_SIZE: 32).</summary>
    public int BatchPerGame { get; init; } = 32;

    /// <summary>Store replay contents in checkpoints so a resume is exact.</summary>
    public bool SaveInCheckpoints { get; init; } = true;
}
