using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Engine;

/// <summary>
/// Re-homes a module's parameters as views into one flat tensor, and their gradients as views into another, so the
/// optimizer step, zeroing the gradients and a whole-network copy are each a few ops instead of a few per parameter.
/// Parameter names (and so checkpoint keys) do not change. Build it after the module is on its device: moving the
/// module afterwards would replace the parameters and undo this.
/// </summary>
public sealed class FlatParameters : IDisposable
{
    /// <summary>Flattens the parameters of <paramref name="module"/> (all of one dtype and device) in <c>parameters()</c> order.</summary>
    public FlatParameters(nn.Module module)
    {
        Parameters = module.parameters().ToArray();
        if (Parameters.Count == 0) throw new ArgumentException("the module has no parameters", nameof(module));
        var first = Parameters[0];
        if (Parameters.Any(p => p.dtype != first.dtype || p.device_type != first.device_type || p.device_index != first.device_index))
            throw new ArgumentException("all parameters must share one dtype and device to be flattened", nameof(module));
        long total = Parameters.Sum(p => p.numel());
        data = zeros(total, first.dtype, first.device).DetachFromDisposeScope();
        grad = zeros(total, first.dtype, first.device).DetachFromDisposeScope();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        long offset = 0;
        foreach (var p in Parameters)
        {
            long n = p.numel();
            var dataView = data.narrow(0, offset, n).view(p.shape);
            dataView.copy_(p);
            p.set_(dataView);
            // A gradient that exists before the first backward is accumulated into in place, so it stays a view.
            p.grad = grad.narrow(0, offset, n).view(p.shape);
            offset += n;
        }
    }

    /// <summary>The parameters, in module order; each is a view into <see cref="data"/>.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>All parameter values, one after another.</summary>
    public Tensor data { get; }

    /// <summary>All gradients, laid out as <see cref="data"/>.</summary>
    public Tensor grad { get; }

    /// <summary>Elements in all parameters.</summary>
    public long Count => data.numel();

    /// <summary>Copies <paramref name="source"/>'s values (same layout) into these parameters: one op.</summary>
    public void CopyFrom(FlatParameters source)
    {
        if (source.Count != Count) throw new ArgumentException($"cannot copy {source.Count} parameter values into {Count}", nameof(source));
        using var _ = no_grad();
        data.copy_(source.data);
    }

    /// <summary>
    /// PyTorch's <c>clip_grad_norm_</c> over all gradients together: scales them by <c>min(1, max / (norm + 1e-6))</c>;
    /// returns the norm before clipping (a host sync).
    /// </summary>
    public double ClipGradNorm(double maxNorm)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var norm = grad.norm();
        grad.mul_((maxNorm / (norm + 1e-6)).clamp_max(1.0));
        return norm.item<float>();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        grad.Dispose();
        data.Dispose();
    }
}
