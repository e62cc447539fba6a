using MtlAgent.Agent.Engine;
using MtlAgent.Agent.Model;
using MtlAgent.Agent.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Replay;

/// <summary>
/// An update batch (rows grouped by game in head order, as <see cref="BatchRows"/> says), held in preallocated arrays that are
/// the memory of the batch tensors (refilled in place for every update), so sampling allocates nothing and, on the
/// CPU, copies nothing.
/// </summary>
public sealed class ReplayBatch : IDisposable
{
    private readonly BatchRows _schedule;
    private readonly int _channels;
    private readonly HostTensor<float> _obs, _nextObs, _rewards, _discounts;
    private readonly float _gamma;
    private readonly HostTensor<long> _actions;
    private readonly int[] _indices;

    /// <summary>
    /// Buffers for <paramref name="schedule"/>'s batch shape with <paramref name="channels"/> (padded) channels on
    /// <paramref name="device"/>; <paramref name="gamma"/> is the discount of a transition that did not end the game.
    /// </summary>
    public ReplayBatch(BatchRows schedule, int channels, double gamma, Device device)
    {
        _schedule = schedule;
        _channels = channels;
        _gamma = (float)gamma;
        int b = schedule.BatchSize;
        _obs = new HostTensor<float>([b, channels, 10, 10], device);
        _nextObs = new HostTensor<float>([b, channels, 10, 10], device);
        _rewards = new HostTensor<float>([b], device);
        _discounts = new HostTensor<float>([b], device);
        _actions = new HostTensor<long>([b], device);
        _indices = new int[schedule.RowsPerGame.Max()];
        task = MultiTaskQNetwork.TaskOneHot(schedule.RowsPerGame, device).DetachFromDisposeScope();
    }

    /// <summary>Observations <c>[B, C, 10, 10]</c>.</summary>
    public Tensor obs => _obs.Device;
    /// <summary>Successor observations <c>[B, C, 10, 10]</c>.</summary>
    public Tensor next_obs => _nextObs.Device;
    /// <summary>Actions taken <c>[B]</c> (int64, index into the row's game head).</summary>
    public Tensor actions => _actions.Device;
    /// <summary>Rewards <c>[B]</c>, real units.</summary>
    public Tensor rewards => _rewards.Device;
    /// <summary>
    /// Discount of each transition's bootstrap <c>[B]</c>: gamma, or 0 where
    /// the transition ended the game (computed on the host while sampling).
    /// </summary>
    public Tensor discounts => _discounts.Device;
    /// <summary>One-hot game of each row <c>[B, K]</c> (constant).</summary>
    public Tensor task { get; }

    /// <summary>Rows of each game.</summary>
    public IReadOnlyList<int> RowsPerGame => _schedule.RowsPerGame;

    /// <summary>Draws every game's rows from its replay, all with <paramref name="rng"/>, into the batch tensors.</summary>
    public void Sample(IReadOnlyList<ReplayBuffer> replays, Xoshiro256 rng) =>
        Sample(replays, Enumerable.Repeat(rng, replays.Count).ToArray());

    /// <summary>Draws every game's rows from its replay, game g with <paramref name="rngs"/>[g], into the batch tensors.</summary>
    public void Sample(IReadOnlyList<ReplayBuffer> replays, IReadOnlyList<Xoshiro256> rngs)
    {
        for (int g = 0; g < replays.Count; g++)
        {
            if (_schedule.RowsPerGame[g] == 0) continue;
            var idx = _indices.AsSpan(0, _schedule.RowsPerGame[g]);
            replays[g].Sample(rngs[g], idx);
            replays[g].Gather(idx, _schedule.RowOffsets[g], _channels, _obs.Array, _nextObs.Array, _actions.Array, _rewards.Array,
                _discounts.Array);
        }
        // Gather wrote 1 for terminal transitions and 0 otherwise.
        var discounts = _discounts.Array;
        for (int i = 0; i < discounts.Length; i++) discounts[i] = discounts[i] != 0 ? 0f : _gamma;
        _obs.Upload();
        _nextObs.Upload();
        _actions.Upload();
        _rewards.Upload();
        _discounts.Upload();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _obs.Dispose(); _nextObs.Dispose(); _actions.Dispose(); _rewards.Dispose(); _discounts.Dispose(); task.Dispose();
    }
}
