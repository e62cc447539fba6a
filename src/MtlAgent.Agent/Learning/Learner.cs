using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Engine;
using MtlAgent.Agent.Model;
using MtlAgent.Agent.Monitoring;
using MtlAgent.Agent.Replay;
using MtlAgent.Agent.Tasks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace MtlAgent.Agent.Learning;

/// <summary>
/// The multi-game DQN update: Double-DQN (or plain max) targets in real units, per-game PopArt, normalised Huber loss
/// per game, task weighting, one optimizer step, periodic target copy. With PopArt off, Double DQN off, one game and
/// centered RMSprop it is the MinAtar reference update. With a learned task weighting (<c>gradnorm</c>, <c>uncertainty</c>)
/// its weights replace the ones passed in, and it learns from every update. With <c>learner.gradient_surgery: pcgrad</c>
/// the shared parameters step on PCGrad's projected game gradients (<see cref="PcGrad"/>) instead of the combined loss's.
/// </summary>
public sealed class Learner : IDisposable
{
    private readonly LearnerConfig _config;
    private readonly PopArtConfig _popArtConfig;
    private readonly LossReduction _lossReduction;
    private readonly double[] _losses;
    private readonly HostTensor<float> _lossValues, _weights, _gradientNorms;
    private readonly HostTensor<double> _moments;
    private readonly string[] _gameNames;
    private readonly FlatParameters _onlineParameters, _targetParameters;
    private readonly HeadRescale _rescale;
    private readonly double[] _scales, _shifts;
    private readonly IReadOnlyList<Parameter> _shared;
    private readonly Parameter? _lastSharedWeight;       // GradNorm's W
    private readonly double[] _norms;
    private readonly PcGrad? _pcGrad;                     // learner.gradient_surgery: pcgrad

    /// <summary>A learner training <paramref name="online"/>, bootstrapping from <paramref name="target"/> (same shape).</summary>
    public Learner(TrainConfig config, MultiTaskQNetwork online, MultiTaskQNetwork target, Device device)
    {
        _config = config.Learner;
        _popArtConfig = config.PopArt;
        _lossReduction = config.Tasks.LossReduction;
        Online = online;
        Target = target;
        PopArt = new PopArtStatistics(config.PopArt, online.Games);
        _onlineParameters = new FlatParameters(online);
        _targetParameters = new FlatParameters(target);
        _rescale = new HeadRescale(online, device, _onlineParameters, _targetParameters);
        _scales = new double[online.Games];
        _shifts = new double[online.Games];
        _shared = online.SharedParameters();
        Optimizer = Optimizers.Create(config, online.Games, _onlineParameters, _shared);
        _losses = new double[online.Games];
        _lossValues = new HostTensor<float>([online.Games], device);
        _weights = new HostTensor<float>([online.Games], device);
        _moments = new HostTensor<double>([2 * online.Games], device);
        LearnedWeighting = LearnedTaskWeighting.Create(config.Tasks, online.Games);
        _gradientNorms = new HostTensor<float>([online.Games], device);
        _norms = new double[online.Games];
        if (_config.GradientSurgery == GradientSurgery.PcGrad && online.Games > 1) _pcGrad = new PcGrad(_onlineParameters, _shared);
        if (LearnedWeighting is { NeedsGradientNorms: true })
            _lastSharedWeight = _shared.LastOrDefault(p => p.dim() == 2)
                ?? throw new ArgumentException("the network has no shared weight matrix for GradNorm", nameof(online));
        _gameNames = Enumerable.Range(0, online.Games)
            .Select(g => config.Games.Count == online.Games ? config.Games[g] : $"game {g}")
            .ToArray();
        SyncTarget();
    }

    /// <summary>The network being trained.</summary>
    public MultiTaskQNetwork Online { get; }

    /// <summary>The network the targets bootstrap from, copied from <see cref="Online"/> every <c>TargetUpdatePeriod</c> updates.</summary>
    public MultiTaskQNetwork Target { get; }

    /// <summary>Per-game PopArt statistics (initial values forever when PopArt is off).</summary>
    public PopArtStatistics PopArt { get; }

    /// <summary>The optimizer over <see cref="Online"/>'s parameters.</summary>
    public IFlatOptimizer Optimizer { get; }

    /// <summary>Updates done so far.</summary>
    public long Updates { get; set; }

    /// <summary>The learned task weighting (<c>gradnorm</c>, <c>uncertainty</c>) whose weights this learner uses, or null.</summary>
    public LearnedTaskWeighting? LearnedWeighting { get; }

    /// <summary>The last gradient-conflict measurement (<c>probeGradients</c> of <see cref="Update"/>), if any.</summary>
    public GradientConflict? Gradients { get; private set; }

    /// <summary>
    /// One gradient step on <paramref name="batch"/> (already sampled), weighting game losses by <paramref name="taskWeights"/>
    /// (by <see cref="LearnedWeighting"/>'s weights instead when there is one, which then learns from the update); games
    /// without rows in the batch take no part. Returns each game's loss (normalised units; NaN for a game without rows);
    /// the array is reused by the next call. Throws <see cref="TrainingDivergedException"/> before the optimizer step if a
    /// loss is NaN or infinite. The step is on their weighted combination plus the network's
    /// <see cref="MultiTaskQNetwork.SharingPenalty"/> (soft sharing). With <paramref name="probeGradients"/>, at least two
    /// games in the batch and a design that shares parameters, it also measures how the games' gradients on the shared
    /// parameters relate (<see cref="Gradients"/>), changing nothing.
    /// </summary>
    public IReadOnlyList<double> Update(ReplayBatch batch, IReadOnlyList<double> taskWeights, bool probeGradients = false)
    {
        using var scope = NewDisposeScope();
        var rows = batch.RowsPerGame;
        var games = Enumerable.Range(0, Online.Games).Where(g => rows[g] > 0).ToArray();
        var td_target = new Tensor[Online.Games];
        using (no_grad())
        {
            var q_next_target = Target.forward(batch.next_obs, batch.task, rows);
            var q_next_online = _config.DoubleDqn ? Online.forward(batch.next_obs, batch.task, rows) : null;
            foreach (int g in games)
                td_target[g] = TdTarget.Compute(Rows(batch.rewards, rows, g), Rows(batch.discounts, rows, g),
                    PopArt.ToRealUnits(g, q_next_target[g]), q_next_online?[g]);
        }
        var normalized_target = UpdatePopArt(td_target, games);

        // PCGrad needs each game's gradient apart: each game's rows go through the network on their own.
        var q = _pcGrad is null ? Online.forward(batch.obs, batch.task, rows) : EachGameOnItsOwn(batch, rows, games);
        var losses = games.Select(g =>
        {
            var q_taken = q[g].gather(1, Rows(batch.actions, rows, g).unsqueeze(1)).squeeze(1);
            return smooth_l1_loss(q_taken, normalized_target[g], beta: _config.HuberDelta);
        }).ToArray();
        var game_losses = losses.Length == 1 ? losses[0].reshape(1) : stack(losses);
        ThrowIfDiverged(game_losses, games);
        var weights = LearnedWeighting?.Weights ?? taskWeights;
        var loss = WeightTasks(game_losses, weights, games);
        if (Online.SharingPenalty() is { } penalty) loss = loss.add(penalty, HeldScalars.One);
        using var probe = probeGradients && games.Length > 1 && _shared.Count > 0
            ? new GradientProbe(losses, _shared, games.Select(g => _gameNames[g]).ToArray(), Updates + 1) : null;
        var gradient_norms = LearnedWeighting is { NeedsGradientNorms: true } ? GradientNorms(losses, games) : null;

        // per_game: this update's game (validation allows it only with one game per update) steps its own state.
        if (Optimizer is PerGameOptimizer perGame)
            perGame.Use(games.Length == 1 ? games[0] : throw new InvalidOperationException(
                "learner.optimizer_state per_game needs one game per update (tasks.sampling round_robin)"));
        Optimizer.zero_grad();
        if (_pcGrad is not null && games.Length > 1) _pcGrad.Backward(losses, LossCoefficients(weights, games), Updates + 1);
        else loss.backward();
        if (_config.MaxGradNorm is { } maxNorm) _onlineParameters.ClipGradNorm(maxNorm);
        Optimizer.step();
        if (probe is not null) Gradients = probe.Measure();
        LearnedWeighting?.Step(games, _losses, gradient_norms);

        Updates++;
        if (Cadence.TargetSyncDue(_config, Updates)) SyncTarget();
        return _losses;
    }

    /// <summary>Copies the online weights into the target network.</summary>
    public void SyncTarget()
    {
        _targetParameters.CopyFrom(_onlineParameters);
    }

    /// <summary>
    /// PopArt's ART and POP for every game of the batch (once per update, from the batch means of that game's targets),
    /// rescaling the games' heads in the online and the target network; returns the targets in the new normalised units.
    /// Identity when off.
    /// </summary>
    private Tensor[] UpdatePopArt(Tensor[] td_target, int[] games)
    {
        if (!_popArtConfig.Enabled) return td_target;
        using (var host = _moments.Host.narrow(0, 0, 2 * games.Length))
            host.copy_(stack(games.SelectMany(g => new[] { td_target[g].mean(), (td_target[g] * td_target[g]).mean() }).ToArray()));
        var m = _moments.Array;
        for (int i = 0; i < games.Length; i++)
        {
            if (!double.IsFinite(m[2 * i]) || !double.IsFinite(m[2 * i + 1]))
                throw new TrainingDivergedException(
                    $"targets of {_gameNames[games[i]]} have mean {m[2 * i]} and mean square {m[2 * i + 1]} at update " +
                    $"{Updates + 1}; PopArt statistics and weights were left unchanged");
        }
        Array.Fill(_scales, 1.0);
        Array.Fill(_shifts, 0.0);
        var normalized = new Tensor[Online.Games];
        for (int i = 0; i < games.Length; i++)
        {
            int g = games[i];
            (_scales[g], _shifts[g]) = PopArt.Update(g, m[2 * i], m[2 * i + 1]);
            normalized[g] = PopArt.Normalize(g, td_target[g]);
        }
        _rescale.Apply(_scales, _shifts);
        return normalized;
    }

    /// <summary>
    /// Task weighting: the weighted mean (or sum, <c>tasks.loss_reduction</c>) of the batch's game losses (plain mean or
    /// sum when all weights are 1).
    /// </summary>
    private Tensor WeightTasks(Tensor game_losses, IReadOnlyList<double> taskWeights, int[] games)
    {
        bool uniform = true;
        for (int i = 0; i < games.Length; i++)
        {
            _weights.Array[i] = (float)taskWeights[games[i]];
            uniform &= taskWeights[games[i]] == 1.0;
        }
        var weighted = uniform ? game_losses : game_losses * _weights.Upload().narrow(0, 0, games.Length);
        return _lossReduction switch
        {
            LossReduction.Mean => weighted.mean(),
            LossReduction.Sum => weighted.sum(),
            _ => throw new ArgumentOutOfRangeException(nameof(_lossReduction), _lossReduction, null),
        };
    }

    /// <summary>Each game's coefficient in the combined loss of <see cref="WeightTasks"/>: its weight, over K under the mean.</summary>
    private double[] LossCoefficients(IReadOnlyList<double> taskWeights, int[] games) =>
        games.Select(g => taskWeights[g] / (_lossReduction == LossReduction.Mean ? games.Length : 1)).ToArray();

    // The online values of each game of the batch from a forward pass over its rows alone (one graph per game).
    private Tensor[] EachGameOnItsOwn(ReplayBatch batch, IReadOnlyList<int> rows, int[] games)
    {
        var q = new Tensor[Online.Games];
        foreach (int g in games)
        {
            var only = new int[Online.Games];
            only[g] = rows[g];
            q[g] = Online.forward(Rows(batch.obs, rows, g), Rows(batch.task, rows, g), only)[g];
        }
        return q;
    }

    /// <summary>
    /// Each game's <c>||grad_W L_i||</c> on the last shared weight matrix (GradNorm's W), by <c>autograd.grad</c> on the
    /// update's graph (kept for its backward pass; no <c>.grad</c> is touched), indexed by game (NaN for a game without rows).
    /// </summary>
    private double[] GradientNorms(Tensor[] losses, int[] games)
    {
        Array.Fill(_norms, double.NaN);
        using var host = _gradientNorms.Host.narrow(0, 0, games.Length);
        host.copy_(stack(losses.Select(l => torch.autograd.grad([l], [_lastSharedWeight!], retain_graph: true)[0].norm()).ToArray()));
        for (int i = 0; i < games.Length; i++) _norms[games[i]] = _gradientNorms.Array[i];
        return _norms;
    }

    private void ThrowIfDiverged(Tensor game_losses, int[] games)
    {
        Array.Fill(_losses, double.NaN);
        using var host = _lossValues.Host.narrow(0, 0, games.Length);
        host.copy_(game_losses.detach());
        var values = _lossValues.Array;
        for (int i = 0; i < games.Length; i++)
        {
            _losses[games[i]] = values[i];
            if (!float.IsFinite(values[i]))
                throw new TrainingDivergedException(
                    $"loss of {_gameNames[games[i]]} is {values[i]} at update {Updates + 1}; no optimizer step was taken with it");
        }
    }

    private static Tensor Rows(Tensor t, IReadOnlyList<int> rows, int game)
    {
        if (rows.Count == 1) return t;
        long start = 0;
        for (int g = 0; g < game; g++) start += rows[g];
        return t.narrow(0, start, rows[game]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Optimizer.Dispose();
        _pcGrad?.Dispose();
        _rescale.Dispose();
        _onlineParameters.Dispose();
        _targetParameters.Dispose();
        _lossValues.Dispose();
        _weights.Dispose();
        _gradientNorms.Dispose();
        _moments.Dispose();
    }
}
