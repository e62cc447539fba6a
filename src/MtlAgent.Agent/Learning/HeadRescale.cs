using MtlAgent.Agent.Engine;
using MtlAgent.Agent.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Learning;

/// <summary>
/// PopArt's POP for every game at once: the heads of a network sit next to each other in its flat parameter buffer, so
/// <c>W_g *= scale_g</c>, <c>b_g = scale_g b_g + shift_g</c> for all games is one multiply and one add over that region
/// (per-element factors picked by a fixed element-to-game index), instead of four ops per game and network.
/// Same float arithmetic as rescaling each head on its own.
/// </summary>
public sealed class HeadRescale : IDisposable
{
    private readonly Tensor[] _regions;
    private readonly Tensor _gameOfElement, _isBias;
    private readonly HostTensor<float> _scale, _shift;

    /// <summary>For the heads of <paramref name="network"/>'s layout, in each of <paramref name="parameters"/> (online, target).</summary>
    public HeadRescale(MultiTaskQNetwork network, Device device, params FlatParameters[] parameters)
    {
        var names = parameters[0].Names;
        var shapes = parameters[0].Shapes;
        long offset = 0, start = -1;
        var game = new List<long>();
        var bias = new List<float>();
        for (int i = 0; i < names.Count; i++)
        {
            long count = shapes[i].Aggregate(1L, (a, b) => a * b);
            var parts = names[i].Split('.');
            if (parts is ["heads", var index, var kind])
            {
                if (start < 0) start = offset;
                if (offset != start + game.Count)
                    throw new InvalidOperationException($"head parameter '{names[i]}' is not next to the other heads in the flat buffer");
                for (long e = 0; e < count; e++) { game.Add(long.Parse(index)); bias.Add(kind == "bias" ? 1f : 0f); }
            }
            offset += count;
        }
        if (game.Distinct().Count() != network.Games)
            throw new InvalidOperationException($"found heads for {game.Distinct().Count()} games, the network has {network.Games}");
        _regions = parameters.Select(p => p.data.narrow(0, start, game.Count).DetachFromDisposeScope()).ToArray();
        _gameOfElement = tensor(game.ToArray(), device: device).DetachFromDisposeScope();
        _isBias = tensor(bias.ToArray(), device: device).DetachFromDisposeScope();
        _scale = new HostTensor<float>([network.Games], device);
        _shift = new HostTensor<float>([network.Games], device);
    }

    /// <summary>Applies game g's <c>(weightScale[g], biasShift[g])</c> to its head in every network.</summary>
    public void Apply(ReadOnlySpan<double> weightScale, ReadOnlySpan<double> biasShift)
    {
        for (int g = 0; g < weightScale.Length; g++) { _scale.Array[g] = (float)weightScale[g]; _shift.Array[g] = (float)biasShift[g]; }
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var scale = _scale.Upload().index_select(0, _gameOfElement);
        var shift = _shift.Upload().index_select(0, _gameOfElement).mul_(_isBias);
        foreach (var region in _regions) region.mul_(scale).add_(shift, HeldScalars.One);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var r in _regions) r.Dispose();
        _gameOfElement.Dispose(); _isBias.Dispose(); _scale.Dispose(); _shift.Dispose();
    }
}
