using static MtlAgent.Torch.torch;

namespace MtlAgent.Torch.Modules;

/// <summary>y = x W^T + b, initialised as PyTorch: kaiming_uniform(a=sqrt(5)) weight, U(±1/sqrt(in)) bias.</summary>
public sealed class Linear : nn.Module<Tensor, Tensor>
{
    public Linear(long in_features, long out_features, bool hasBias = true, Device? device = null, ScalarType? dtype = null) : base(nameof(Linear))
    {
        this.in_features = in_features;
        this.out_features = out_features;
        weight = new nn.Parameter(empty([out_features, in_features], dtype, device));
        register_parameter("weight", weight);
        if (hasBias)
        {
            bias = new nn.Parameter(empty([out_features], dtype, device));
            register_parameter("bias", bias);
        }
        else register_parameter("bias", null);
        reset_parameters();
    }

    public long in_features { get; }
    public long out_features { get; }
    public nn.Parameter weight { get; }
    public nn.Parameter? bias { get; }

    /// <summary>PyTorch's initialisation, drawing from libtorch's generator in PyTorch's order.</summary>
    public void reset_parameters()
    {
        nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        if (bias is not null)
        {
            var bound = in_features > 0 ? 1 / Math.Sqrt(in_features) : 0;
            nn.init.uniform_(bias, -bound, bound);
        }
    }

    public override Tensor forward(Tensor input) => nn.functional.linear(input, weight, bias);
}
