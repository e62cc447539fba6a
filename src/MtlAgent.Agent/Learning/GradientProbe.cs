using MtlAgent.Agent.Monitoring;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Learning;

/// <summary>
/// The gradient-conflict measurement of one update (<c>monitor.gradient_every</c>): before the update's backward pass,
/// each game's gradient of its own loss with respect to the shared parameters, by <c>autograd.grad</c> on the update's
/// own graph (so no parameter's <c>.grad</c>, optimizer state or random stream is touched, and the update stays
/// bitwise what it would have been); after the optimizer step, the change it applied to those parameters.
/// </summary>
public sealed class GradientProbe : IDisposable
{
    private readonly Tensor _gradients, _before;
    private readonly IReadOnlyList<Parameter> _shared;
    private readonly IReadOnlyList<string> _games;
    private readonly long _update;

    /// <summary>
    /// Takes the gradients of <paramref name="gameLosses"/> (one per game of <paramref name="games"/>) with respect to
    /// <paramref name="shared"/>, keeping the graph for the update's own backward pass.
    /// </summary>
    public GradientProbe(IReadOnlyList<Tensor> gameLosses, IReadOnlyList<Parameter> shared, IReadOnlyList<string> games, long update)
    {
        _shared = shared;
        _games = games;
        _update = update;
        var inputs = shared.Cast<Tensor>().ToArray();
        var rows = gameLosses.Select(loss =>
            cat(torch.autograd.grad([loss], inputs, retain_graph: true, allow_unused: true)
                .Select((g, i) => (g ?? zeros_like(inputs[i])).flatten()).ToArray())).ToArray();
        _gradients = stack(rows).DetachFromDisposeScope();
        using (no_grad()) _before = Flat().DetachFromDisposeScope();
    }

    /// <summary>After the optimizer step: the figures of <see cref="GradientConflict"/>, from one small download.</summary>
    public GradientConflict Measure()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var change = Flat() - _before;
        int k = _games.Count;
        var products = cat([_gradients.matmul(_gradients.t()).flatten(), _gradients.matmul(change)]).to(float64).cpu();
        var values = products.data<double>().ToArray();
        return GradientConflict.From(_update, _games, values.AsSpan(0, k * k), values.AsSpan(k * k, k));
    }

    private Tensor Flat() => cat(_shared.Select(p => p.detach().flatten()).ToArray());

    /// <inheritdoc />
    public void Dispose()
    {
        _gradients.Dispose();
        _before.Dispose();
    }
}
