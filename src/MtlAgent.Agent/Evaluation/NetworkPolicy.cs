using MtlAgent.Agent.Model;
using MtlAgent.Agent.Replay;
using MtlAgent.Envs;
using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Evaluation;

/// <summary>
/// A multi-task Q-network as an <see cref="IActionValueFunction"/>: a batch of one game's observations goes through the
/// network in one forward pass and comes back in real units. Serves a loaded checkpoint (<c>mtl eval</c>) and the live
/// network of a training run (evaluations during training) alike.
/// </summary>
/// <param name="network">The online network.</param>
/// <param name="games">Env ids in head order.</param>
/// <param name="popArt">Per game, the PopArt mean and scale that turn head outputs into real units; null when PopArt is off.</param>
/// <param name="device">The network's device.</param>
public sealed class NetworkPolicy(MultiTaskQNetwork network, IReadOnlyList<string> games, Func<int, (double Mu, double Sigma)>? popArt, Device device)
    : IActionValueFunction
{
    private readonly EnvSpec[] _specs = games.Select(EnvRegistry.Spec).ToArray();

    /// <inheritdoc/>
    public IReadOnlyList<string> Games => games;

    /// <inheritdoc/>
    public float[][] QValues(string env, IReadOnlyList<byte[]> observations) => QValues(GameIndex(env), observations);

    /// <summary>Index of <paramref name="env"/> among the games; throws listing them when absent.</summary>
    public int GameIndex(string env)
    {
        for (int g = 0; g < games.Count; g++) if (games[g] == env) return g;
        throw new ArgumentException($"checkpoint was not trained on '{env}'; its games: {string.Join(", ", games)}");
    }

    /// <summary>Real-unit Q-values of game <paramref name="game"/>, one row per observation (<c>[C, 10, 10]</c> 0/1 bytes).</summary>
    public float[][] QValues(int game, IReadOnlyList<byte[]> observations)
    {
        int n = observations.Count, cells = _specs[game].Channels * 100, stride = network.Channels * 100, actions = _specs[game].ActionCount;
        if (n == 0) return [];
        var input = new float[n * stride];
        for (int row = 0; row < n; row++)
        {
            var obs = observations[row];
            if (obs.Length != cells) throw new ArgumentException($"{games[game]} observations have {cells} cells, got {obs.Length} in row {row}", nameof(observations));
            for (int i = 0; i < cells; i++) input[row * stride + i] = obs[i];
        }
        var flat = new float[n * actions];
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var rows = new int[games.Count];
            rows[game] = n;
            var x = tensor(input, [n, network.Channels, 10, 10], device: device);
            using var q = network.head(game, network.trunk(x, ReplayBatch.TaskOneHot(rows, device))).cpu();
            using var values = q.data<float>();
            values.CopyTo(flat);
        }
        var result = new float[n][];
        for (int row = 0; row < n; row++)
        {
            result[row] = flat.AsSpan(row * actions, actions).ToArray();
            ToRealUnits(game, result[row]);
        }
        return result;
    }

    /// <summary>Head outputs are normalised under PopArt (real = sigma * q + mu); unchanged when PopArt is off.</summary>
    public void ToRealUnits(int game, Span<float> values)
    {
        if (popArt is null) return;
        var (mu, sigma) = popArt(game);
        for (int a = 0; a < values.Length; a++) values[a] = (float)(sigma * values[a] + mu);
    }
}
