namespace MtlAgent.Agent.Configuration;

/// <summary>Shape of the shared trunk, the task conditioning and the per-game heads.</summary>
public sealed record NetworkConfig
{
    /// <summary>Output channels of each 3x3 conv layer, no padding (MinAtar reference: one layer of 16).</summary>
    public IReadOnlyList<int> ConvChannels { get; init; } = [16];

    /// <summary>Width of the hidden linear layer (MinAtar reference: 128).</summary>
    public int Hidden { get; init; } = 128;

    /// <summary>How the task descriptor (one-hot of the game) enters: <c>none</c>, <c>concat</c> or <c>film</c>.</summary>
    public TaskConditioning TaskConditioning { get; init; } = TaskConditioning.Concat;
}
