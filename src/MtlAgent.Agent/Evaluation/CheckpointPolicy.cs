using MtlAgent.Agent.Checkpoints;

namespace MtlAgent.Agent.Evaluation;

/// <summary>The online network of a loaded checkpoint as an <see cref="IActionValueFunction"/>.</summary>
public sealed class CheckpointPolicy(PolicyCheckpoint checkpoint) : IActionValueFunction
{
    /// <inheritdoc/>
    public IReadOnlyList<string> Games => checkpoint.Games;

    /// <inheritdoc/>
    public float[][] QValues(string env, IReadOnlyList<byte[]> observations) =>
        checkpoint.QValues(checkpoint.GameIndex(env), observations);
}
