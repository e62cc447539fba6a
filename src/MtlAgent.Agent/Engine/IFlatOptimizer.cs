using static TorchSharp.torch;

namespace MtlAgent.Agent.Engine;

/// <summary>An optimizer over one flat parameter buffer (see <see cref="FlatParameters"/>): a step is a handful of ops in all.</summary>
public interface IFlatOptimizer : IDisposable
{
    /// <summary>Sets every gradient to zero (one op on the flat gradient).</summary>
    void zero_grad();

    /// <summary>One update of every parameter from its gradient.</summary>
    void step();

    /// <summary>Steps taken so far.</summary>
    long Steps { get; }

    /// <summary>The optimizer's state tensors by name, for checkpoints (names are file keys: keep them stable).</summary>
    IEnumerable<(string Name, Tensor Tensor)> NamedState();

    /// <summary>
    /// Restores state saved from <see cref="NamedState"/>; throws <see cref="ArgumentException"/> naming a missing key or a shape mismatch.
    /// </summary>
    void LoadState(IReadOnlyDictionary<string, Tensor> state);
}
