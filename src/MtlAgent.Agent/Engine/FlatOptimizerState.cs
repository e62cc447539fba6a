using static TorchSharp.torch;

namespace MtlAgent.Agent.Engine;

/// <summary>
/// Checkpoint restore shared by the flat optimizers: validate everything first, then copy, so a refused state changes nothing.
/// </summary>
internal static class FlatOptimizerState
{
    /// <summary>
    /// Copies <paramref name="saved"/> into <paramref name="expected"/> (the optimizer's own <c>NamedState()</c>). Throws
    /// <see cref="ArgumentException"/> naming a missing key, a key this optimizer does not use, or a shape mismatch.
    /// </summary>
    public static void Load(string optimizer, IEnumerable<(string Name, Tensor Tensor)> expected, IReadOnlyDictionary<string, Tensor> saved)
    {
        var own = expected.ToArray();
        Validate(optimizer, own, saved);
        using var noGrad = no_grad();
        foreach (var (name, tensor) in own) tensor.copy_(saved[name]);
    }

    /// <summary>The checks of <see cref="Load"/> alone: throws as it does, copies nothing.</summary>
    public static void Validate(string optimizer, IEnumerable<(string Name, Tensor Tensor)> expected,
        IReadOnlyDictionary<string, Tensor> saved)
    {
        var own = expected.ToArray();
        var names = own.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, tensor) in own)
        {
            if (!saved.TryGetValue(name, out var source))
                throw new ArgumentException(
                    $"{optimizer} state lacks '{name}'; it has: {string.Join(", ", saved.Keys.Order(StringComparer.Ordinal))}",
                    nameof(saved));
            if (!source.shape.SequenceEqual(tensor.shape))
                throw new ArgumentException(
                    $"{optimizer} state '{name}' has shape [{string.Join(", ", source.shape)}], expected [" +
                    $"{string.Join(", ", tensor.shape)}] (saved for another network?)", nameof(saved));
        }
        foreach (var key in saved.Keys)
        {
            // A key we would ignore means the state came from another optimizer or configuration (e.g. centered or not).
            if (!names.Contains(key))
                throw new ArgumentException(
                    $"{optimizer} state has '{key}', which this optimizer does not use; it expects: " +
                    $"{string.Join(", ", own.Select(e => e.Name))}", nameof(saved));
        }
    }
}
