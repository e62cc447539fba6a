using MtlAgent.Agent.Configuration;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace MtlAgent.Agent.Model;

/// <summary>
/// One trunk as a module of its own: a game's column (<c>sharing: separate | soft | cross_stitch</c>, under the network's
/// <c>columns.&lt;g&gt;.</c>) or an expert of a mixture (<c>trunk: moe</c>, under <c>experts.&lt;e&gt;.</c>).
/// </summary>
public sealed class TrunkColumn : Module
{
    // Field names are checkpoint keys (columns.0.convs.0.weight, experts.1.fc.bias): renaming one renames a key.
#pragma warning disable IDE1006
    private readonly ModuleList<Conv2d> convs;
    private readonly Linear fc;
#pragma warning restore IDE1006

    /// <summary>A new trunk for <paramref name="channels"/> input channels and <paramref name="games"/> games.</summary>
    public TrunkColumn(NetworkConfig config, int channels, int games) : base(nameof(TrunkColumn))
    {
        Layers = TrunkLayers.Create(config, channels, games);
        convs = Layers.Convs;
        fc = Layers.Fc;
        RegisterComponents();
    }

    /// <summary>The column's layers.</summary>
    public TrunkLayers Layers { get; }
}
