using MtlAgent.Agent.Configuration;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MtlAgent.Agent.Model;

/// <summary>
/// Shared conv trunk, optional task conditioning, one linear head per game (MinAtar reference torso by default:
/// conv 16@3x3 no padding, ReLU, flatten, linear 128, ReLU). Observations are <c>[B, C, 10, 10]</c> floats with C the
/// largest channel count of the run's games (smaller games zero-padded). The task descriptor is the one-hot of the game:
/// <c>concat</c> appends it to the flattened conv features before the hidden layer, <c>film</c> scales and shifts the
/// hidden features per game (learned, starting at identity), <c>none</c> ignores it. Heads output normalised values when
/// PopArt is on (real = sigma * q + mu).
/// </summary>
public sealed class MultiTaskQNetwork : Module
{
    // Field names are checkpoint keys (convs.0.weight, fc.weight, heads.1.bias, film_scale): renaming one renames a key.
#pragma warning disable IDE1006
    private readonly ModuleList<Conv2d> convs = new();
    private readonly Linear fc;
    private readonly ModuleList<Linear> heads = new();
    private readonly Parameter? film_scale, film_shift;
#pragma warning restore IDE1006
    private readonly TaskConditioning _conditioning;

    /// <summary>
    /// Builds the network for games with <paramref name="actionCounts"/> actions, observing <paramref name="channels"/> channels.
    /// </summary>
    public MultiTaskQNetwork(NetworkConfig config, int channels, IReadOnlyList<int> actionCounts) : base(nameof(MultiTaskQNetwork))
    {
        _conditioning = config.TaskConditioning;
        Channels = channels;
        ActionCounts = actionCounts.ToArray();
        int games = actionCounts.Count, inChannels = channels, side = 10;
        foreach (int width in config.ConvChannels)
        {
            convs.append(Conv2d(inChannels, width, 3));
            inChannels = width;
            side -= 2;
        }
        int features = inChannels * side * side + (_conditioning == TaskConditioning.Concat ? games : 0);
        fc = Linear(features, config.Hidden);
        foreach (int actions in actionCounts) heads.append(Linear(config.Hidden, actions));
        if (_conditioning == TaskConditioning.Film)
        {
            film_scale = Parameter(ones(games, config.Hidden));
            film_shift = Parameter(zeros(games, config.Hidden));
        }
        RegisterComponents();
    }

    /// <summary>
    /// The task descriptor of rows grouped by game: the <c>[B, K]</c> one-hot of each row's game, game g having
    /// <paramref name="rowsPerGame"/>[g] consecutive rows.
    /// </summary>
    public static Tensor TaskOneHot(IReadOnlyList<int> rowsPerGame, Device device)
    {
        int k = rowsPerGame.Count, b = rowsPerGame.Sum(), row = 0;
        var data = new float[b * k];
        for (int g = 0; g < k; g++)
            for (int i = 0; i < rowsPerGame[g]; i++) data[row++ * k + g] = 1f;
        return tensor(data, [b, k], device: device);
    }

    /// <summary>Input channels (the largest of the run's games).</summary>
    public int Channels { get; }

    /// <summary>Actions of each game's head.</summary>
    public IReadOnlyList<int> ActionCounts { get; }

    /// <summary>Number of games (heads).</summary>
    public int Games => ActionCounts.Count;

    /// <summary>
    /// Shared features <c>[B, Hidden]</c> of a mixed-game batch; <paramref name="task"/> is the <c>[B, K]</c> one-hot of each row's game.
    /// </summary>
    public Tensor trunk(Tensor obs, Tensor task)
    {
        var x = obs;
        foreach (var conv in convs) x = functional.relu(conv.forward(x));
        x = x.flatten(1);
        switch (_conditioning)
        {
            case TaskConditioning.Concat:
                return functional.relu(fc.forward(cat([x, task], 1)));
            case TaskConditioning.Film:
                return functional.relu(fc.forward(x)) * task.matmul(film_scale!) + task.matmul(film_shift!);
            case TaskConditioning.None:
                return functional.relu(fc.forward(x));
            default:
                throw new ArgumentOutOfRangeException(nameof(_conditioning), _conditioning, null);
        }
    }

    /// <summary>
    /// The parameters every game's loss reaches: the convolutions and the hidden layer (not the heads, nor FiLM's per-game rows).
    /// </summary>
    public IReadOnlyList<Parameter> SharedParameters() =>
        convs.parameters().Concat(fc.parameters()).ToArray();

    /// <summary>Game <paramref name="game"/>'s values <c>[n, actions]</c> from its rows of the shared features.</summary>
    public Tensor head(int game, Tensor hidden) => heads[game].forward(hidden);

    /// <summary>
    /// One pass over a batch whose rows are grouped by game (game g has <paramref name="rowsPerGame"/>[g] contiguous rows,
    /// games in head order): the trunk runs once, each group is scored by its own head.
    /// </summary>
    public Tensor[] forward(Tensor obs, Tensor task, IReadOnlyList<int> rowsPerGame)
    {
        var h = trunk(obs, task);
        var q = new Tensor[Games];
        long start = 0;
        for (int g = 0; g < Games; g++)
        {
            q[g] = Games == 1 ? head(0, h) : head(g, h.narrow(0, start, rowsPerGame[g]));
            start += rowsPerGame[g];
        }
        return q;
    }
}
