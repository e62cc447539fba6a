using MtlAgent.Agent.Randomness;
using MtlAgent.Agent.Tasks;
using MtlAgent.Torch;
using static MtlAgent.Torch.torch;

namespace MtlAgent.Agent.Replay;

/// <summary>
/// A balanced update batch over all games (rows grouped by game in head order), held in preallocated managed
/// arrays and tensors that are refilled in place for every update, so sampling allocates nothing.
/// </summary>
public sealed class ReplayBatch : IDisposable
{
    private readonly RoundRobinScheduler _schedule;
    private readonly int _channels;
    private readonly float[] _obs, _nextObs, _rewards, _terminals;
    private readonly long[] _actions;
    private readonly int[] _indices;

    /// <summary>Buffers for <paramref name="schedule"/>'s batch shape with <paramref name="channels"/> (padded) channels on <paramref name="device"/>.</summary>
    public ReplayBatch(RoundRobinScheduler schedule, int channels, Device device)
    {
        _schedule = schedule;
        _channels = channels;
        int b = schedule.BatchSize;
        _obs = new float[b * channels * 100];
        _nextObs = new float[b * channels * 100];
        _rewards = new float[b];
        _terminals = new float[b];
        _actions = new long[b];
        _indices = new int[schedule.RowsPerGame.Max()];
        obs = zeros(new long[] { b, channels, 10, 10 }, device: device).DetachFromDisposeScope();
        next_obs = zeros(new long[] { b, channels, 10, 10 }, device: device).DetachFromDisposeScope();
        actions = zeros(new long[] { b }, dtype: ScalarType.Int64, device: device).DetachFromDisposeScope();
        rewards = zeros(new long[] { b }, device: device).DetachFromDisposeScope();
        terminals = zeros(new long[] { b }, device: device).DetachFromDisposeScope();
        task = TaskOneHot(schedule.RowsPerGame, device).DetachFromDisposeScope();
    }

    /// <summary>Observations <c>[B, C, 10, 10]</c>.</summary>
    public Tensor obs { get; }
    /// <summary>Successor observations <c>[B, C, 10, 10]</c>.</summary>
    public Tensor next_obs { get; }
    /// <summary>Actions taken <c>[B]</c> (int64, index into the row's game head).</summary>
    public Tensor actions { get; }
    /// <summary>Rewards <c>[B]</c>, real units.</summary>
    public Tensor rewards { get; }
    /// <summary>1 where the transition ended the game <c>[B]</c>.</summary>
    public Tensor terminals { get; }
    /// <summary>One-hot game of each row <c>[B, K]</c> (constant).</summary>
    public Tensor task { get; }

    /// <summary>Rows of each game.</summary>
    public IReadOnlyList<int> RowsPerGame => _schedule.RowsPerGame;

    /// <summary>Draws every game's rows from its replay with <paramref name="rng"/> and copies them to the tensors.</summary>
    public void Sample(IReadOnlyList<ReplayBuffer> replays, Xoshiro256 rng)
    {
        for (int g = 0; g < replays.Count; g++)
        {
            var idx = _indices.AsSpan(0, _schedule.RowsPerGame[g]);
            replays[g].Sample(rng, idx);
            replays[g].Gather(idx, _schedule.RowOffsets[g], _channels, _obs, _nextObs, _actions, _rewards, _terminals);
        }
        obs.copy_from(_obs);
        next_obs.copy_from(_nextObs);
        actions.copy_from(_actions);
        rewards.copy_from(_rewards);
        terminals.copy_from(_terminals);
    }

    /// <summary>The <c>[B, K]</c> one-hot of the game of every row, for rows grouped by game.</summary>
    public static Tensor TaskOneHot(IReadOnlyList<int> rowsPerGame, Device device)
    {
        int k = rowsPerGame.Count, b = rowsPerGame.Sum(), row = 0;
        var data = new float[b * k];
        for (int g = 0; g < k; g++)
            for (int i = 0; i < rowsPerGame[g]; i++) data[row++ * k + g] = 1f;
        return tensor(data, new long[] { b, k }, device: device);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        obs.Dispose(); next_obs.Dispose(); actions.Dispose(); rewards.Dispose(); terminals.Dispose(); task.Dispose();
    }
}
