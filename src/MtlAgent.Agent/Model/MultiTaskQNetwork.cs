using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Engine;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MtlAgent.Agent.Model;

/// <summary>
/// Trunk, optional task conditioning, one linear head per game. A trunk is the MinAtar reference torso by default
/// (conv 16@3x3 no padding, ReLU, flatten, linear 128, ReLU: <see cref="TrunkLayers"/>). Observations are
/// <c>[B, C, 10, 10]</c> floats with C the largest channel count of the run's games (smaller games zero-padded). The task
/// descriptor is the one-hot of the game: <c>concat</c> appends it to the flattened conv features before the hidden layer,
/// <c>film</c> scales and shifts the hidden features per game (learned, starting at identity), <c>none</c> ignores it.
/// Heads output normalised values when PopArt is on (real = sigma * q + mu).
/// </summary>
/// <remarks>
/// How the games share the trunk (<c>network.sharing</c>, <c>network.trunk</c>):
/// <list type="bullet">
/// <item><c>hard</c>: one trunk for every game.</item>
/// <item><c>separate</c>: one trunk (column) per game; a game's rows go through its own column only.</item>
/// <item><c>soft</c>: as <c>separate</c>, every column starting at the same weights, and <see cref="SharingPenalty"/>
/// (<c>soft_l2 * sum_i ||theta_i - mean theta||^2</c>) added to the loss pulls them toward their mean: soft_l2 = 0 is
/// separate trunks from a common start, a large soft_l2 approaches hard sharing.</item>
/// <item><c>cross_stitch</c>: every row goes through every game's column; after each layer (each conv and the hidden
/// layer) column i's activations become <c>sum_j alpha[l, i, j] x_j</c> (Misra et al. 2016), and a game's rows are read
/// from its own column. Each K x K matrix starts at 0.9 on the diagonal and 0.1 split evenly over the rest of its row:
/// near the identity, so each column starts mostly as its own game's network, as Misra et al.'s best initialisation
/// (alpha_same 0.9, alpha_different 0.1); rows summing to 1 keep the activations at the scale of a single column.</item>
/// <item><c>conv</c>: one set of convolutions for every game, a hidden layer per game: each game's rows go through
/// the shared convolutions, then its own hidden layer and head (the shared-bottom network with per-game towers of
/// multi-task learning; Caruana 1997). The convolutions hold about 1% of the weights, the hidden layers the rest.</item>
/// <item><c>hidden</c>: the converse: convolutions per game, each over its game's own channels (no zero-padding), and one
/// hidden layer for every game: each game's rows go through its own convolutions, then every row through the shared
/// hidden layer (game-specific input layers under a shared core). About 99% of the weights stay shared.</item>
/// <item><c>trunk: moe</c> (with hard sharing): E expert trunks see every row; game g's features are
/// <c>sum_e softmax(gate_logits[g])_e h_e</c>, the gate learned per game and starting uniform (logits 0). Whole trunks
/// rather than hidden layers only, as the experts of MMoE (Ma et al. 2018): the conv layer holds about 1% of a trunk's
/// weights and its cost, so sharing it would save little and keep the experts from differing in their features.
/// With one expert it is <c>hard</c> exactly (the gate is 1).</item>
/// </list>
/// FiLM applies to the trunk's output in every design; <c>concat</c> feeds every column or expert the one-hot (with
/// <c>separate</c>/<c>soft</c> a column only ever sees its own game's, a constant input, which is harmless).
/// </remarks>
public sealed class MultiTaskQNetwork : Module
{
    // Field names are checkpoint keys (convs.0.weight, fc.weight, fcs.1.weight, columns.1.fc.weight, experts.0.convs.0.bias,
    // heads.1.bias, film_scale, cross_stitch, gate_logits): renaming one renames a key. The hard design registers the fields it always
    // had, in the same order (TorchSharp lists own parameters, then submodules), so its flat layout and numbers are unchanged.
#pragma warning disable IDE1006
    private readonly ModuleList<Conv2d>? convs;
    private readonly Linear? fc;
    private readonly ModuleList<Linear>? fcs;
    private readonly ModuleList<ModuleList<Conv2d>>? game_convs;
    private readonly ModuleList<TrunkColumn>? columns, experts;
    private readonly ModuleList<Linear> heads = new();
    private readonly Parameter? film_scale, film_shift;
    private readonly Parameter? cross_stitch, gate_logits;
#pragma warning restore IDE1006
    private readonly TaskConditioning _conditioning;
    private readonly bool _sharesParameters;
    private readonly TrunkLayers[] _trunks;
    private readonly int[] _gameChannels;
    private readonly double _softL2;

    /// <summary>
    /// Builds the network for games with <paramref name="actionCounts"/> actions, each observing <paramref name="channels"/>
    /// channels.
    /// </summary>
    public MultiTaskQNetwork(NetworkConfig config, int channels, IReadOnlyList<int> actionCounts)
        : this(config, actionCounts.Select(_ => channels).ToArray(), actionCounts)
    {
    }

    /// <summary>
    /// Builds the network for games with <paramref name="gameChannels"/> observation channels and <paramref name="actionCounts"/>
    /// actions: its input has <see cref="InputChannels"/> channels.
    /// </summary>
    public MultiTaskQNetwork(NetworkConfig config, IReadOnlyList<int> gameChannels, IReadOnlyList<int> actionCounts)
        : base(nameof(MultiTaskQNetwork))
    {
        if (gameChannels.Count != actionCounts.Count)
            throw new ArgumentException($"{gameChannels.Count} games' channels for {actionCounts.Count} games", nameof(gameChannels));
        _conditioning = config.TaskConditioning;
        Sharing = config.Sharing;
        Trunk = config.Trunk;
        _softL2 = config.SoftL2;
        _sharesParameters = config.SharesParameters();
        Channels = InputChannels(config, gameChannels);
        int channels = Channels;
        _gameChannels = gameChannels.Select(c => Math.Max(config.MinInputChannels, c)).ToArray();
        ActionCounts = actionCounts.ToArray();
        int games = actionCounts.Count;
        if (Trunk == TrunkKind.Moe && Sharing != Sharing.Hard)
            throw new ArgumentException($"trunk moe needs sharing hard, not {ConfigChoices.Name(Sharing)}", nameof(config));
        if (Trunk == TrunkKind.Moe)
        {
            experts = new ModuleList<TrunkColumn>();
            for (int e = 0; e < config.Experts; e++) experts.append(new TrunkColumn(config, channels, games));
            _trunks = experts.Select(c => c.Layers).ToArray();
        }
        else if (Sharing == Sharing.Hard)
        {
            var layers = TrunkLayers.Create(config, channels, games);
            (convs, fc) = (layers.Convs, layers.Fc);
            _trunks = [layers];
        }
        else if (Sharing == Sharing.Conv)
        {
            // Game 0's layers draw their weights as hard sharing's do; every other game adds a hidden layer of its own.
            var layers = TrunkLayers.Create(config, channels, games);
            convs = layers.Convs;
            _trunks = [layers, .. Enumerable.Range(1, games - 1).Select(_ => layers.WithOwnHidden())];
            fcs = new ModuleList<Linear>(_trunks.Select(t => t.Fc).ToArray());
        }
        else if (Sharing == Sharing.Hidden)
        {
            // Game 0's convolutions and the hidden layer draw their weights as hard sharing's do; every other game adds
            // convolutions of its own.
            var layers = TrunkLayers.Create(config, _gameChannels[0], games);
            fc = layers.Fc;
            _trunks = [layers, .. Enumerable.Range(1, games - 1).Select(g => layers.WithOwnConvs(config, _gameChannels[g]))];
            game_convs = new ModuleList<ModuleList<Conv2d>>(_trunks.Select(t => t.Convs).ToArray());
        }
        else
        {
            // Each column, then its head: game 0 draws its weights as a one-game network does.
            columns = new ModuleList<TrunkColumn>();
            foreach (int actions in actionCounts)
            {
                columns.append(new TrunkColumn(config, channels, games));
                heads.append(Linear(config.Hidden, actions));
            }
            _trunks = columns.Select(c => c.Layers).ToArray();
        }
        if (columns is null) foreach (int actions in actionCounts) heads.append(Linear(config.Hidden, actions));
        if (_conditioning == TaskConditioning.Film)
        {
            film_scale = Parameter(ones(games, config.Hidden));
            film_shift = Parameter(zeros(games, config.Hidden));
        }
        if (Sharing == Sharing.Soft) StartColumnsTogether();
        if (Sharing == Sharing.CrossStitch)
        {
            // 0.9 for the column's own game, 0.1 split over the others (Misra et al. 2016); 1 with one game.
            int layers = _trunks[0].Count;
            var alpha = new float[layers * games * games];
            for (int l = 0; l < layers; l++)
                for (int i = 0; i < games; i++)
                    for (int j = 0; j < games; j++)
                        alpha[(l * games + i) * games + j] = games == 1 ? 1f : i == j ? 0.9f : (float)(0.1 / (games - 1));
            cross_stitch = Parameter(tensor(alpha, [layers, games, games]));
        }
        if (Trunk == TrunkKind.Moe) gate_logits = Parameter(zeros(games, config.Experts));
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

    /// <summary>
    /// The input channels of a network of <paramref name="config"/> for games of <paramref name="gameChannels"/>: the
    /// largest of them, or <c>network.min_input_channels</c> if more (the games' observations zero-padded to it).
    /// </summary>
    public static int InputChannels(NetworkConfig config, IEnumerable<int> gameChannels) =>
        Math.Max(config.MinInputChannels, gameChannels.Max());

    /// <summary>Input channels (<see cref="InputChannels"/>).</summary>
    public int Channels { get; }

    /// <summary>Actions of each game's head.</summary>
    public IReadOnlyList<int> ActionCounts { get; }

    /// <summary>Number of games (heads).</summary>
    public int Games => ActionCounts.Count;

    /// <summary>How the games share the trunk (<c>network.sharing</c>).</summary>
    public Sharing Sharing { get; }

    /// <summary>What the trunk is made of (<c>network.trunk</c>).</summary>
    public TrunkKind Trunk { get; }

    /// <summary>The design in config terms, for messages: <c>network.sharing: hard, network.trunk: plain</c>.</summary>
    public string Design => $"network.sharing: {ConfigChoices.Name(Sharing)}, network.trunk: {ConfigChoices.Name(Trunk)}" +
        (Trunk == TrunkKind.Moe ? $", network.experts: {_trunks.Length}" : "");

    /// <summary>
    /// The trunk's features <c>[B, Hidden]</c> of a batch whose rows are grouped by game (game g has
    /// <paramref name="rowsPerGame"/>[g] contiguous rows); <paramref name="task"/> is the <c>[B, K]</c> one-hot of each row's game.
    /// </summary>
    public Tensor trunk(Tensor obs, Tensor task, IReadOnlyList<int> rowsPerGame)
    {
        var h = Trunk == TrunkKind.Moe ? Mixture(obs, task)
            : Sharing switch
            {
                Sharing.Hard => _trunks[0].forward(obs, task),
                Sharing.Separate or Sharing.Soft => EachGameItsColumn(obs, task, rowsPerGame),
                Sharing.CrossStitch => CrossStitched(obs, task, rowsPerGame),
                Sharing.Conv => SharedConvolutions(obs, task, rowsPerGame),
                Sharing.Hidden => SharedHiddenLayer(obs, task, rowsPerGame),
                _ => throw new ArgumentOutOfRangeException(nameof(Sharing), Sharing, null),
            };
        return _conditioning switch
        {
            TaskConditioning.Film => (h * task.matmul(film_scale!)).add_(task.matmul(film_shift!), HeldScalars.One),
            TaskConditioning.Concat or TaskConditioning.None => h,
            _ => throw new ArgumentOutOfRangeException(nameof(_conditioning), _conditioning, null),
        };
    }

    /// <summary>
    /// The parameters every game's loss reaches, which the gradient-conflict probe compares the games' gradients on:
    /// <c>hard</c> the convolutions and the hidden layer (not the heads, nor FiLM's per-game rows); <c>conv</c> the
    /// convolutions; <c>hidden</c> the hidden layer; <c>separate</c> and
    /// <c>soft</c> none (a game's loss reaches its own column only; the probe then measures nothing); <c>cross_stitch</c>
    /// every column and the stitch matrices (a game's loss reaches every column through them); <c>moe</c> the experts
    /// (not the gate: a game's loss reaches only its own gate logits).
    /// </summary>
    public IReadOnlyList<Parameter> SharedParameters() =>
        (Sharing == Sharing.Conv ? _trunks[0].Convs.parameters()
            : Sharing == Sharing.Hidden ? _trunks[0].Fc.parameters()
            : _sharesParameters ? _trunks.SelectMany(t => t.parameters()) : [])
            .Concat(cross_stitch is null ? [] : [cross_stitch])
            .ToArray();

    /// <summary>
    /// The extra loss term of the design, in the caller's dispose scope: <c>soft_l2 * sum_i ||theta_i - mean theta||^2</c>
    /// over the games' columns for <c>soft</c> (null when soft_l2 is 0); null for every other design.
    /// </summary>
    public Tensor? SharingPenalty()
    {
        if (Sharing != Sharing.Soft || _softL2 == 0) return null;
        using var weight = _softL2.ToScalar();
        return Spread().mul(weight);
    }

    /// <summary>
    /// <c>sum_i ||theta_i - mean theta||^2</c> over the trunks (the games' columns, or the experts; 0 for one trunk), theta
    /// being all of a trunk's weights: how far the trunks are apart.
    /// </summary>
    public double TrunkSpread()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return Spread().to(float64).item<double>();
    }

    /// <summary>The mixture's gate per game (<c>trunk: moe</c>); null for a plain trunk. Reading it changes nothing.</summary>
    public ExpertGate? Gate()
    {
        if (gate_logits is null) return null;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        int experts = (int)gate_logits.shape[1];
        double[] p;
        using (var values = functional.softmax(gate_logits.to(float64), 1).cpu().data<double>()) p = values.ToArray();
        var usage = Enumerable.Range(0, Games).Select(g => p.AsSpan(g * experts, experts).ToArray()).ToArray();
        var entropy = usage.Select(u => -u.Where(x => x > 0).Sum(x => x * Math.Log(x))).ToArray();
        return new ExpertGate(usage, entropy);
    }

    /// <summary>Game <paramref name="game"/>'s values <c>[n, actions]</c> from its rows of the trunk's features.</summary>
    public Tensor head(int game, Tensor hidden) => heads[game].forward(hidden);

    /// <summary>
    /// One pass over a batch whose rows are grouped by game (game g has <paramref name="rowsPerGame"/>[g] contiguous rows,
    /// games in head order): the trunk runs once, each group is scored by its own head.
    /// </summary>
    public Tensor[] forward(Tensor obs, Tensor task, IReadOnlyList<int> rowsPerGame)
    {
        var h = trunk(obs, task, rowsPerGame);
        var q = new Tensor[Games];
        long start = 0;
        for (int g = 0; g < Games; g++)
        {
            q[g] = Games == 1 ? head(0, h) : head(g, h.narrow(0, start, rowsPerGame[g]));
            start += rowsPerGame[g];
        }
        return q;
    }

    // separate, soft: game g's rows through column g only.
    private Tensor EachGameItsColumn(Tensor obs, Tensor task, IReadOnlyList<int> rowsPerGame) =>
        Games == 1 ? _trunks[0].forward(obs, task)
            : ByGame(rowsPerGame, (g, start, n) => _trunks[g].forward(obs.narrow(0, start, n), task.narrow(0, start, n)));

    // conv: every row through the shared convolutions once, then game g's rows through game g's hidden layer.
    private Tensor SharedConvolutions(Tensor obs, Tensor task, IReadOnlyList<int> rowsPerGame)
    {
        var x = obs;
        int hidden = _trunks[0].Count - 1;
        for (int l = 0; l < hidden; l++) x = _trunks[0].layer(l, x, task);
        return Games == 1 ? _trunks[0].layer(hidden, x, task)
            : ByGame(rowsPerGame, (g, start, n) => _trunks[g].layer(hidden, x.narrow(0, start, n), task.narrow(0, start, n)));
    }

    // hidden: game g's rows through game g's convolutions, over its own channels; then every row through the hidden layer.
    private Tensor SharedHiddenLayer(Tensor obs, Tensor task, IReadOnlyList<int> rowsPerGame)
    {
        int hidden = _trunks[0].Count - 1;
        var x = ByGame(rowsPerGame, (g, start, n) =>
        {
            var xg = _gameChannels[g] < Channels ? obs.narrow(0, start, n).narrow(1, 0, _gameChannels[g]) : obs.narrow(0, start, n);
            for (int l = 0; l < hidden; l++) xg = _trunks[g].layer(l, xg, task);
            return xg;
        });
        return _trunks[0].layer(hidden, x, task);
    }

    // The rows of each game that has some (game g's n rows from row start), in game order, as one batch.
    private Tensor ByGame(IReadOnlyList<int> rowsPerGame, Func<int, long, int, Tensor> rowsOf)
    {
        var parts = new List<Tensor>(Games);
        long start = 0;
        for (int g = 0; g < Games; g++)
        {
            if (rowsPerGame[g] > 0) parts.Add(rowsOf(g, start, rowsPerGame[g]));
            start += rowsPerGame[g];
        }
        return parts.Count == 1 ? parts[0] : cat(parts, 0);
    }

    // cross_stitch: every row through every column, the columns mixed after each layer; game g's rows read from column g.
    private Tensor CrossStitched(Tensor obs, Tensor task, IReadOnlyList<int> rowsPerGame)
    {
        var x = Enumerable.Repeat(obs, Games).ToArray();
        for (int l = 0; l < _trunks[0].Count; l++)
        {
            var stacked = stack(x.Select((xi, i) => _trunks[i].layer(l, xi, task)).ToArray());
            x = cross_stitch![l].matmul(stacked.flatten(1)).view(stacked.shape).unbind(0);
        }
        return Games == 1 ? x[0] : ByGame(rowsPerGame, (g, start, n) => x[g].narrow(0, start, n));
    }

    // moe: every row through every expert, mixed by its game's gate.
    private Tensor Mixture(Tensor obs, Tensor task)
    {
        var row_gate = task.matmul(functional.softmax(gate_logits!, 1));
        var h = stack(_trunks.Select(t => t.forward(obs, task)).ToArray(), 1);
        return (h * row_gate.unsqueeze(2)).sum(1);
    }

    private Tensor Spread()
    {
        var theta = stack(_trunks.Select(t => cat(t.parameters().Select(p => p.flatten()).ToArray())).ToArray());
        return (theta - theta.mean([0], keepdim: true)).square().sum();
    }

    // soft: every column starts where column 0 does, so the penalty starts at 0 and soft_l2 alone decides how far they part.
    private void StartColumnsTogether()
    {
        using var _ = no_grad();
        var first = _trunks[0].parameters().ToArray();
        foreach (var column in _trunks.Skip(1))
            foreach (var (p, p0) in column.parameters().Zip(first)) p.copy_(p0);
    }
}
