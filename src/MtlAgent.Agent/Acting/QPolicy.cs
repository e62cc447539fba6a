using MtlAgent.Agent.Engine;
using MtlAgent.Agent.Learning;
using MtlAgent.Agent.Model;
using MtlAgent.Envs;
using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Acting;

/// <summary>
/// A multi-task Q-network as an <see cref="IActionValueFunction"/>: observations of any of its games, zero-padded to
/// its channels and paired with each row's task descriptor, go through it in one forward pass (the batch's memory is
/// the input tensor's, so nothing is copied on the CPU), and its PopArt statistics give the outputs' real units. Serves
/// the trainer's acting, evaluations during training, and a loaded checkpoint (<c>mtl eval</c>, <c>mtl replay</c>).
/// </summary>
public sealed class QPolicy : IActionValueFunction, IDisposable
{
    private readonly MultiTaskQNetwork _network;
    private readonly PopArtStatistics _units;
    private readonly Device _device;
    private readonly int[] _channels, _rows;
    private readonly int _stride;
    private HostTensor<float>? _obs, _task;
    private int _capacity;

    /// <summary>
    /// The policy of <paramref name="network"/> (on <paramref name="device"/>) for <paramref name="games"/> in head order.
    /// </summary>
    public QPolicy(MultiTaskQNetwork network, IReadOnlyList<string> games, PopArtStatistics units, Device device)
    {
        if (games.Count != network.Games)
            throw new ArgumentException($"{games.Count} games for a network of {network.Games} heads", nameof(games));
        _network = network;
        _units = units;
        _device = device;
        Games = games;
        var specs = games.Select(EnvRegistry.Spec).ToArray();
        _channels = specs.Select(s => s.Channels).ToArray();
        ActionCounts = specs.Select(s => s.ActionCount).ToArray();
        _stride = network.Channels * 100;
        _rows = new int[games.Count];
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Games { get; }

    /// <summary>Actions of each game, in head order.</summary>
    public IReadOnlyList<int> ActionCounts { get; }

    /// <summary>Index of <paramref name="env"/> among the games; throws listing them when absent.</summary>
    public int GameIndex(string env)
    {
        for (int g = 0; g < Games.Count; g++) if (Games[g] == env) return g;
        throw new ArgumentException($"the policy was not trained on '{env}'; its games: {string.Join(", ", Games)}");
    }

    /// <inheritdoc />
    public void Outputs(ReadOnlySpan<int> rowsPerGame, Func<int, ReadOnlyMemory<byte>> observation, float[][] outputs)
    {
        int n = 0;
        foreach (int r in rowsPerGame) n += r;
        if (n == 0) return;
        EnsureCapacity(n);
        var obs = _obs!.Array;
        var task = _task!.Array;
        Array.Clear(task, 0, n * Games.Count);
        for (int g = 0, row = 0; g < rowsPerGame.Length; g++)
        {
            int cells = _channels[g] * 100;
            _rows[g] = rowsPerGame[g];
            for (int i = 0; i < rowsPerGame[g]; i++, row++)
            {
                var cellsOfRow = observation(row).Span;
                if (cellsOfRow.Length != cells)
                    throw new ArgumentException($"{Games[g]} observations have {cells} cells, got {cellsOfRow.Length} in row {row}");
                var dst = obs.AsSpan(row * _stride, _stride);
                for (int c = 0; c < cells; c++) dst[c] = cellsOfRow[c];
                dst[cells..].Clear();
                task[row * Games.Count + g] = 1f;
            }
        }
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var heads = _network.forward(_obs.Upload().narrow(0, 0, n), _task.Upload().narrow(0, 0, n), _rows);
        for (int g = 0, row = 0; g < rowsPerGame.Length; g++)
        {
            if (rowsPerGame[g] == 0) continue;
            int a = ActionCounts[g];
            var flat = new float[rowsPerGame[g] * a];
            using (var host = heads[g].cpu())
            using (var values = host.data<float>()) values.CopyTo(flat);
            for (int i = 0; i < rowsPerGame[g]; i++, row++)
            {
                if (outputs[row]?.Length != a) outputs[row] = new float[a];
                flat.AsSpan(i * a, a).CopyTo(outputs[row]);
            }
        }
    }

    /// <inheritdoc />
    public void ToRealUnits(int game, Span<float> values) => _units.ToRealUnits(game, values);

    private void EnsureCapacity(int n)
    {
        if (n <= _capacity) return;
        _obs?.Dispose();
        _task?.Dispose();
        _capacity = Math.Max(n, 2 * _capacity);
        _obs = new HostTensor<float>([_capacity, _network.Channels, 10, 10], _device);
        _task = new HostTensor<float>([_capacity, Games.Count], _device);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _obs?.Dispose();
        _task?.Dispose();
    }
}
