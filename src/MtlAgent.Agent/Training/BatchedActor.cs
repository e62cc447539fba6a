using MtlAgent.Agent.Model;
using MtlAgent.Agent.Randomness;
using MtlAgent.Agent.Replay;
using MtlAgent.Agent.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Training;

/// <summary>
/// Epsilon-greedy acting for every environment copy of every game with one forward pass: rows grouped by game
/// (<c>EnvsPerGame</c> rows each), observations zero-padded to the network's channels. The network runs only when at
/// least one copy acts greedily, and never touches the random stream, so the draws do not depend on it.
/// </summary>
public sealed class BatchedActor : IDisposable
{
    private readonly MultiTaskQNetwork _network;
    private readonly int[] _rows;
    private readonly int[] _actionCounts;
    private readonly HostTensor<float> _obs;
    private readonly HostTensor<long> _greedy;
    private readonly bool[] _isGreedy;
    private readonly Tensor _task;

    /// <summary>An actor for <paramref name="envsPerGame"/> copies of each of the network's games.</summary>
    public BatchedActor(MultiTaskQNetwork network, int envsPerGame, Device device)
    {
        _network = network;
        _rows = Enumerable.Repeat(envsPerGame, network.Games).ToArray();
        _actionCounts = network.ActionCounts.ToArray();
        int n = envsPerGame * network.Games;
        _obs = new HostTensor<float>([n, network.Channels, 10, 10], device);
        _greedy = new HostTensor<long>([n], device);
        _isGreedy = new bool[n];
        _task = ReplayBatch.TaskOneHot(_rows, device).DetachFromDisposeScope();
    }

    /// <summary>
    /// Chooses an action for every row <c>g * EnvsPerGame + e</c>: with probability <paramref name="epsilon"/> uniform over
    /// the game's actions, else greedy. <paramref name="observation"/>(row) gives the row's current 0/1 observation.
    /// </summary>
    public void Act(double epsilon, Xoshiro256 rng, Func<int, ReadOnlyMemory<byte>> observation, Span<int> actions)
    {
        bool anyGreedy = false;
        int perGame = _rows[0];
        for (int row = 0; row < actions.Length; row++)
        {
            int game = row / perGame;
            _isGreedy[row] = rng.NextDouble() >= epsilon;
            if (_isGreedy[row]) anyGreedy = true;
            else actions[row] = rng.NextInt(_actionCounts[game]);
        }
        if (!anyGreedy) return;
        int stride = _network.Channels * 100;
        for (int row = 0; row < actions.Length; row++)
        {
            var cells = observation(row).Span;
            var dst = _obs.Array.AsSpan(row * stride, stride);
            for (int i = 0; i < cells.Length; i++) dst[i] = cells[i];
            dst[cells.Length..].Clear();
        }
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var q = _network.forward(_obs.Upload(), _task, _rows);
            var greedy = _network.Games == 1 ? q[0].argmax(1) : cat(q.Select(x => x.argmax(1)).ToArray(), 0);
            _greedy.Download(greedy);
        }
        for (int row = 0; row < actions.Length; row++)
            if (_isGreedy[row]) actions[row] = (int)_greedy.Array[row];
    }

    /// <inheritdoc />
    public void Dispose() { _obs.Dispose(); _greedy.Dispose(); _task.Dispose(); }
}
