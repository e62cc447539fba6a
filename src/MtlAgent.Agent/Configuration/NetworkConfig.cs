namespace MtlAgent.Agent.Configuration;

/// <summary>Shape of the trunk, how the games share it, the task conditioning and the per-game heads.</summary>
public sealed record NetworkConfig
{
    /// <summary>Output channels of each 3x3 conv layer, no padding (MinAtar reference: one layer of 16).</summary>
    public IReadOnlyList<int> ConvChannels { get; init; } = [16];

    /// <summary>
    /// Input channels the network takes at least (a game with fewer is zero-padded, as every game with fewer than the
    /// largest of the run's games is); 0: the largest of the run's games' (<c>MultiTaskQNetwork.InputChannels</c>).
    /// </summary>
    public int MinInputChannels { get; init; } = 0;

    /// <summary>Width of the hidden linear layer (MinAtar reference: 128).</summary>
    public int Hidden { get; init; } = 128;

    /// <summary>How the task descriptor (one-hot of the game) enters: <c>none</c>, <c>concat</c> or <c>film</c>.</summary>
    public TaskConditioning TaskConditioning { get; init; } = TaskConditioning.Concat;

    /// <summary>
    /// How the games share the trunk: <c>hard</c> (one trunk), <c>separate</c> (one per game), <c>soft</c> (one per game,
    /// pulled toward their mean by <see cref="SoftL2"/>), <c>cross_stitch</c> (one column per game, mixed after every layer)
    /// or <c>conv</c> (the convolutions shared, the hidden layer per game).
    /// </summary>
    public Sharing Sharing { get; init; } = Sharing.Hard;

    /// <summary>Weight of <c>sum_i ||theta_i - mean theta||^2</c> over the games' trunks in the loss (<c>sharing: soft</c> only).</summary>
    public double SoftL2 { get; init; } = 0.01;

    /// <summary>The trunk: <c>plain</c> (one), or <c>moe</c> (<see cref="Experts"/> expert trunks mixed by a per-game gate).</summary>
    public TrunkKind Trunk { get; init; } = TrunkKind.Plain;

    /// <summary>Expert trunks of <c>trunk: moe</c> (1 with <c>plain</c>).</summary>
    public int Experts { get; init; } = 1;

    /// <summary>
    /// Whether the design has parameters every game's loss reaches (<c>MultiTaskQNetwork.SharedParameters</c> is not
    /// empty): <c>hard</c>, <c>conv</c>, <c>hidden</c>, <c>cross_stitch</c> and every <c>moe</c> trunk; not
    /// <c>separate</c> and <c>soft</c>, where a game's loss reaches its own column only.
    /// </summary>
    public bool SharesParameters() =>
        Trunk == TrunkKind.Moe || Sharing is Sharing.Hard or Sharing.CrossStitch or Sharing.Conv or Sharing.Hidden;
}
