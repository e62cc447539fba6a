using System.Runtime.InteropServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Engine;

/// <summary>
/// Re-homes a module's parameters as views into one flat tensor (<see cref="data"/>), and their gradients as views
/// into another (<see cref="grad"/>), so an optimizer step, zeroing the gradients, clipping them and copying a whole
/// network are each a few ops over all parameters instead of a few per parameter.
/// </summary>
/// <remarks>
/// <para>The module keeps its own <see cref="Parameter"/> objects: each is pointed at its slice of the flat storage
/// with <c>set_</c>, so <c>parameters()</c>, <c>state_dict()</c> keys and <c>load_state_dict</c> (which copies into
/// the views) are unchanged.</para>
/// <para>Each gradient is assigned before the first backward, so autograd accumulates into it in place and it stays
/// a view. Three things replace a parameter or its gradient and would silently cut it off from the flat buffers:
/// <c>Module.to(device)</c> after flattening (build this after moving), <c>Module.zero_grad()</c> (TorchSharp's
/// default sets gradients to null: use <see cref="zero_grad"/> or the optimizer's), and assigning <c>p.grad</c>.
/// <see cref="EnsureViews"/> detects all three; the flat optimizers call it on every step.</para>
/// <para>All parameters must share one dtype, one device and one <c>requires_grad</c> (every network of this project
/// is all float32 on one device). A module mixing them is refused rather than grouped, so the optimizers stay one
/// buffer each.</para>
/// </remarks>
public sealed class FlatParameters : IDisposable
{
    private readonly IntPtr[] _dataAddress, _gradAddress;
    private readonly string _layout;

    /// <summary>Flattens the parameters of <paramref name="module"/>, in <c>named_parameters()</c> order.</summary>
    /// <exception cref="ArgumentException">The module has no parameters, or they differ in dtype, device or
    /// <c>requires_grad</c>.</exception>
    public FlatParameters(nn.Module module)
    {
        var named = module.named_parameters().ToArray();
        if (named.Length == 0) throw new ArgumentException($"module {module.GetName()} has no parameters to flatten", nameof(module));
        Names = named.Select(n => n.name).ToArray();
        Parameters = named.Select(n => n.parameter).ToArray();
        var (firstName, first) = named[0];
        foreach (var (name, p) in named)
        {
            if (p.dtype != first.dtype || p.device_type != first.device_type || p.device_index != first.device_index
                || p.requires_grad != first.requires_grad)
                throw new ArgumentException(
                    $"parameter '{name}' is {Describe(p)} but '{firstName}' is {Describe(first)}; " +
                    "FlatParameters needs one dtype, device and requires_grad for all parameters", nameof(module));
        }
        RequiresGrad = first.requires_grad;
        Shapes = Parameters.Select(p => p.shape).ToArray();
        long total = Parameters.Sum(p => p.numel());
        // The layout a copy between two flat buffers relies on: names, shapes and order.
        _layout = string.Join(";", Names.Zip(Shapes, (n, s) => $"{n}[{string.Join(",", s)}]"));

        data = zeros(total, first.dtype, first.device).DetachFromDisposeScope();
        grad = zeros(total, first.dtype, first.device).DetachFromDisposeScope();
        var offsets = new long[Parameters.Count];
        Offsets = offsets;
        _dataAddress = new IntPtr[Parameters.Count];
        _gradAddress = new IntPtr[Parameters.Count];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long offset = 0;
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            long n = p.numel();
            offsets[i] = offset;
            var dataView = data.narrow(0, offset, n).view(Shapes[i]);
            dataView.copy_(p);
            p.set_(dataView);
            if (RequiresGrad) p.grad = grad.narrow(0, offset, n).view(Shapes[i]);
            _dataAddress[i] = DataAddress(dataView);
            _gradAddress[i] = RequiresGrad ? DataAddress(grad) + (nint)(offset * grad.element_size()) : IntPtr.Zero;
            offset += n;
        }
    }

    /// <summary>Parameter names (the module's <c>state_dict</c> keys), in flat order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The module's own parameters, in flat order; each is now a view into <see cref="data"/>.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Each parameter's shape, in flat order.</summary>
    public IReadOnlyList<long[]> Shapes { get; }

    /// <summary>Where each parameter starts in <see cref="data"/> and <see cref="grad"/>, in flat order.</summary>
    public IReadOnlyList<long> Offsets { get; }

    /// <summary>Whether the parameters take gradients (when false, <see cref="grad"/> stays zero and is not attached).</summary>
    public bool RequiresGrad { get; }

    /// <summary>All parameter values, one after another, 1-D.</summary>
    public Tensor data { get; }

    /// <summary>All gradients, laid out as <see cref="data"/>.</summary>
    public Tensor grad { get; }

    /// <summary>Number of elements in all parameters together.</summary>
    public long Count => data.numel();

    /// <summary>Sets every gradient to zero in place (one op); the views stay attached, unlike <c>Module.zero_grad()</c>.</summary>
    public void zero_grad() => grad.zero_();

    /// <summary>
    /// Copies <paramref name="source"/>'s values into these parameters in one op: the target-network sync.
    /// Both must come from modules of the same architecture (same names, shapes and order).
    /// </summary>
    public void CopyFrom(FlatParameters source)
    {
        if (!string.Equals(source._layout, _layout, StringComparison.Ordinal))
            throw new ArgumentException($"cannot copy parameters laid out as {source._layout} into {_layout}", nameof(source));
        using var noGrad = no_grad();
        data.copy_(source.data);
    }

    /// <summary>
    /// PyTorch's <c>clip_grad_norm_</c> (2-norm, <c>error_if_nonfinite=False</c>) over all gradients together:
    /// scales them by <c>min(1, max_norm / (total_norm + 1e-6))</c> and returns <c>total_norm</c>, a 0-dim tensor on the
    /// parameters' device in the caller's dispose scope (reading it is a host sync, so that is left to the caller).
    /// </summary>
    /// <remarks>The norm of the flat gradient equals PyTorch's norm of per-parameter norms up to rounding.</remarks>
    public Tensor ClipGradNorm(double max_norm)
    {
        using var noGrad = no_grad();
        using var eps = 1e-6.ToScalar();
        using var max = max_norm.ToScalar();
        var total_norm = linalg.vector_norm(grad);
        // PyTorch: clip_coef = max_norm / (total_norm + 1e-6), where a scalar over a tensor is reciprocal() * scalar.
        using var clip_coef = total_norm.add(eps, HeldScalars.One).reciprocal_().mul_(max).clamp_max_(HeldScalars.One);
        grad.mul_(clip_coef);
        return total_norm;
    }

    /// <summary>
    /// Throws <see cref="InvalidOperationException"/> naming the first parameter whose value or gradient is no longer a
    /// view into the flat buffers (see the remarks on the class for what causes that). About 1.5 µs for the MinAtar network.
    /// </summary>
    public void EnsureViews()
    {
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            if (p.IsInvalid || DataAddress(p) != _dataAddress[i])
                throw new InvalidOperationException(
                    $"parameter '{Names[i]}' no longer lives in the flat buffer (was the module moved with to() after flattening?); " +
                    "build FlatParameters after the module is on its device");
            if (!RequiresGrad) continue;
            using var g = p.grad;
            if (g is null || DataAddress(g) != _gradAddress[i])
                throw new InvalidOperationException(
                    $"the gradient of parameter '{Names[i]}' " +
                    $"{(g is null ? "was set to null" : "was replaced")}, so backward no longer writes into the flat gradient; " +
                    "zero gradients with the optimizer's zero_grad() (Module.zero_grad() sets them to null) and do not assign .grad");
        }
    }

    /// <summary>The flat tensors; the parameters keep their storage alive, so the module still works afterwards.</summary>
    public void Dispose()
    {
        grad.Dispose();
        data.Dispose();
    }

    private static string Describe(Tensor p) => $"{p.dtype} on {p.device}{(p.requires_grad ? "" : " without grad")}";

    // at::Tensor::data_ptr() through LibTorchSharp's own export (TorchSharp 0.107 keeps its binding internal); any device.
    private static IntPtr DataAddress(Tensor t) => THSTensor_data(t.Handle);

    [DllImport("LibTorchSharp")]
    private static extern IntPtr THSTensor_data(IntPtr handle);
}
