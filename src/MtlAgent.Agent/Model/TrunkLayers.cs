using MtlAgent.Agent.Configuration;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MtlAgent.Agent.Model;

/// <summary>
/// The layers of one trunk (MinAtar reference torso by default): 3x3 convolutions without padding, each with a ReLU, then
/// the flattened features (with the task one-hot appended under <c>concat</c> conditioning) through the hidden linear
/// layer and a ReLU. The modules are registered by whoever owns them: the network itself for <c>hard</c> sharing (keys
/// <c>convs.0.weight</c>, <c>fc.weight</c>), a <see cref="TrunkColumn"/> for each game's or expert's trunk.
/// </summary>
/// <param name="Convs">The convolutions, in order.</param>
/// <param name="Fc">The hidden layer.</param>
/// <param name="Concat">Whether the task one-hot is appended to the hidden layer's input.</param>
public sealed record TrunkLayers(ModuleList<Conv2d> Convs, Linear Fc, bool Concat)
{
    /// <summary>
    /// New layers for <paramref name="channels"/> input channels and <paramref name="games"/> games (the one-hot's width);
    /// they draw their initial weights from torch's generator, convolutions first, as the network always has.
    /// </summary>
    public static TrunkLayers Create(NetworkConfig config, int channels, int games)
    {
        var convs = Convolutions(config, channels);
        int outChannels = convs.Count == 0 ? channels : config.ConvChannels[^1], side = 10 - 2 * convs.Count;
        bool concat = config.TaskConditioning == TaskConditioning.Concat;
        var fc = Linear(outChannels * side * side + (concat ? games : 0), config.Hidden);
        return new TrunkLayers(convs, fc, concat);
    }

    /// <summary>
    /// This hidden layer after new convolutions of the same widths over <paramref name="channels"/> input channels
    /// (<c>sharing: hidden</c>: the hidden layer shared, the convolutions a game's own), drawn from torch's generator.
    /// </summary>
    public TrunkLayers WithOwnConvs(NetworkConfig config, int channels) => this with { Convs = Convolutions(config, channels) };

    /// <summary>
    /// These convolutions with a new hidden layer of the same shape (<c>sharing: conv</c>: the convolutions shared, the
    /// hidden layer a game's own), its weights drawn from torch's generator.
    /// </summary>
    public TrunkLayers WithOwnHidden() => this with { Fc = Linear(Fc.in_features, Fc.out_features) };

    private static ModuleList<Conv2d> Convolutions(NetworkConfig config, int channels)
    {
        var convs = new ModuleList<Conv2d>();
        int inChannels = channels;
        foreach (int width in config.ConvChannels)
        {
            convs.append(Conv2d(inChannels, width, 3));
            inChannels = width;
        }
        return convs;
    }

    /// <summary>Number of layers (the convolutions and the hidden layer): where cross-stitch units mix the columns.</summary>
    public int Count => Convs.Count + 1;

    /// <summary>Layer <paramref name="index"/> applied to <paramref name="x"/> (the previous layer's output, or the obs).</summary>
    public Tensor layer(int index, Tensor x, Tensor task)
    {
        if (index < Convs.Count) return functional.relu(Convs[index].forward(x));
        x = x.flatten(1);
        return functional.relu(Fc.forward(Concat ? cat([x, task], 1) : x));
    }

    /// <summary>The hidden features <c>[B, Hidden]</c> of observations <c>[B, C, 10, 10]</c> with their one-hot <c>[B, K]</c>.</summary>
    public Tensor forward(Tensor obs, Tensor task)
    {
        var x = obs;
        for (int i = 0; i < Count; i++) x = layer(i, x, task);
        return x;
    }

    /// <summary>The layers' parameters: convolutions in order, then the hidden layer.</summary>
    public IEnumerable<Parameter> parameters() => Convs.parameters().Concat(Fc.parameters());
}
