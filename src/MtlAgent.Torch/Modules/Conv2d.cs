using static MtlAgent.Torch.torch;

namespace MtlAgent.Torch.Modules;

/// <summary>2-D convolution over [N, C, H, W], initialised as PyTorch (kaiming_uniform(a=sqrt(5)), U(±1/sqrt(fan_in)) bias).</summary>
public sealed class Conv2d : nn.Module<Tensor, Tensor>
{
    public Conv2d(long in_channels, long out_channels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1,
        long groups = 1, bool bias = true, Device? device = null, ScalarType? dtype = null) : base(nameof(Conv2d))
    {
        if (in_channels % groups != 0 || out_channels % groups != 0)
            throw new ArgumentException($"Conv2d: in_channels ({in_channels}) and out_channels ({out_channels}) must be divisible by groups ({groups})");
        this.in_channels = in_channels;
        this.out_channels = out_channels;
        kernel_size = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        weight = new nn.Parameter(empty([out_channels, in_channels / groups, kernelSize, kernelSize], dtype, device));
        register_parameter("weight", weight);
        if (bias)
        {
            this.bias = new nn.Parameter(empty([out_channels], dtype, device));
            register_parameter("bias", this.bias);
        }
        else register_parameter("bias", null);
        reset_parameters();
    }

    public long in_channels { get; }
    public long out_channels { get; }
    public long kernel_size { get; }
    public long stride { get; }
    public long padding { get; }
    public long dilation { get; }
    public long groups { get; }
    public nn.Parameter weight { get; }
    public nn.Parameter? bias { get; }

    /// <summary>PyTorch's initialisation, drawing from libtorch's generator in PyTorch's order.</summary>
    public void reset_parameters()
    {
        nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        if (bias is not null)
        {
            var fanIn = in_channels / groups * kernel_size * kernel_size;
            var bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
            nn.init.uniform_(bias, -bound, bound);
        }
    }

    public override Tensor forward(Tensor input) =>
        nn.functional.conv2d(input, weight, bias, stride, padding, dilation, groups);
}
