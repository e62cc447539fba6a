using static MtlAgent.Torch.torch;

namespace MtlAgent.Torch.Modules;

/// <summary>max(x, 0).</summary>
public sealed class ReLU : nn.Module<Tensor, Tensor>
{
    public ReLU() : base(nameof(ReLU)) { }
    public override Tensor forward(Tensor input) => input.relu();
}

/// <summary>Flattens dimensions start_dim..end_dim (default: all but the batch dimension).</summary>
public sealed class Flatten : nn.Module<Tensor, Tensor>
{
    public Flatten(long start_dim = 1, long end_dim = -1) : base(nameof(Flatten))
    {
        this.start_dim = start_dim;
        this.end_dim = end_dim;
    }

    public long start_dim { get; }
    public long end_dim { get; }
    public override Tensor forward(Tensor input) => input.flatten(start_dim, end_dim);
}

/// <summary>Returns its input (a new reference).</summary>
public sealed class Identity : nn.Module<Tensor, Tensor>
{
    public Identity() : base(nameof(Identity)) { }
    public override Tensor forward(Tensor input) => input.view(input.shape);
}
