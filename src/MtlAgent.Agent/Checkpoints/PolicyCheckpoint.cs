using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Engine;
using MtlAgent.Agent.Evaluation;
using MtlAgent.Agent.Learning;
using MtlAgent.Agent.Model;
using MtlAgent.Agent.Randomness;
using MtlAgent.Agent.Replay;
using MtlAgent.Agent.Training;
using MtlAgent.Envs;
using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Checkpoints;

/// <summary>
/// The acting policy of a checkpoint (online network on the CPU, whatever device wrote it): real-unit Q-values and
/// greedy or epsilon-greedy actions for any of its games. For <c>mtl eval</c> and <c>mtl replay</c>.
/// </summary>
public sealed class PolicyCheckpoint : IDisposable
{
    private readonly MultiTaskQNetwork _network;
    private readonly IReadOnlyList<PopArtMoments> _popArt;
    private readonly HostTensor<float> _obs;
    private readonly Tensor[] _task;

    private PolicyCheckpoint(string directory, TrainConfig config, long framesPerGame, IReadOnlyList<PopArtMoments> popArt, EnvSpec[] specs,
        MultiTaskQNetwork network)
    {
        Directory = directory;
        Config = config;
        Games = config.Games;
        FramesPerGame = framesPerGame;
        Specs = specs;
        _network = network;
        _popArt = popArt;
        Policy = new NetworkPolicy(network, Games, Config.PopArt.Enabled
            ? g => (_popArt[g].Mu, PopArtMath.Sigma(_popArt[g].Mu, _popArt[g].Nu, Config.PopArt.SigmaMin, Config.PopArt.SigmaMax))
            : null, CPU);
        _obs = new HostTensor<float>([1, network.Channels, 10, 10], CPU);
        _task = Enumerable.Range(0, Games.Count).Select(g =>
        {
            var rows = new int[Games.Count];
            rows[g] = 1;
            return ReplayBatch.TaskOneHot(rows, CPU).DetachFromDisposeScope();
        }).ToArray();
    }

    /// <summary>The checkpoint directory actually loaded (a run directory resolves to its latest checkpoint).</summary>
    public string Directory { get; }

    /// <summary>The configuration of the run.</summary>
    public TrainConfig Config { get; }

    /// <summary>Env ids in head order.</summary>
    public IReadOnlyList<string> Games { get; }

    /// <summary>Registry specs of the games, in head order.</summary>
    public IReadOnlyList<EnvSpec> Specs { get; }

    /// <summary>Frames each game had acted when the checkpoint was written.</summary>
    public long FramesPerGame { get; }

    /// <summary>
    /// Loads <paramref name="path"/>: a checkpoint directory, or a run directory whose <c>latest</c> file names its newest
    /// checkpoint. Throws <see cref="CheckpointException"/> for missing, truncated or corrupt files and mismatched shapes.
    /// </summary>
    public static PolicyCheckpoint Load(string path)
    {
        string directory = CheckpointStore.Resolve(path);
        TorchRuntime.Initialize();
        var (config, frames) = ReadDescription(directory);
        EnvSpec[] specs;
        try { specs = config.Games.Select(EnvRegistry.Spec).ToArray(); }
        catch (ArgumentException e) { throw new CheckpointException($"checkpoint '{directory}' names an unknown game: {e.Message}", e); }
        var network = new MultiTaskQNetwork(config.Network, specs.Max(s => s.Channels), specs.Select(s => s.ActionCount).ToArray());
        try
        {
            using var scope = NewDisposeScope();
            string modelPath = Path.Combine(directory, CheckpointFormat.Model);
            var tensors = TensorFile.Read(modelPath);
            TensorFile.CopyInto(network, CheckpointFormat.OnlinePrefix, tensors, modelPath);
            var popArt = TrainerCheckpoint.ReadPopArt(tensors, specs.Length, modelPath);
            network.eval();
            return new PolicyCheckpoint(directory, config, frames, popArt, specs, network);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    // Schema 2: the manifest (its model and config files verified) and config.yaml; schema 1: state.json.
    private static (TrainConfig Config, long Frames) ReadDescription(string directory)
    {
        if (!File.Exists(Path.Combine(directory, CheckpointFormat.Manifest)))
        {
            var legacy = SchemaOneState.Read(directory);
            if (!legacy.Config.Games.SequenceEqual(legacy.Games))
                throw new CheckpointException($"checkpoint '{directory}': state.json lists games [{string.Join(", ", legacy.Games)}] but its config has [{string.Join(", ", legacy.Config.Games)}]");
            return (legacy.Config, legacy.FramesPerGame);
        }
        var manifest = CheckpointManifest.Read(directory);
        if (manifest.Schema != CheckpointFormat.Schema)
            throw new CheckpointException($"checkpoint '{directory}' has schema {manifest.Schema}; this build reads schemas {CheckpointFormat.LegacySchema} and {CheckpointFormat.Schema}");
        manifest.Verify(directory, CheckpointFormat.Config);
        manifest.Verify(directory, CheckpointFormat.Model);
        var config = TrainerCheckpoint.ReadConfig(directory);
        if (!config.Games.SequenceEqual(manifest.Games))
            throw new CheckpointException($"checkpoint '{directory}': the manifest lists games [{string.Join(", ", manifest.Games)}] but config.yaml has [{string.Join(", ", config.Games)}]");
        return (config, manifest.FramesPerGame);
    }

    /// <summary>Index of <paramref name="envId"/> among the checkpoint's games; throws listing them when absent.</summary>
    public int GameIndex(string envId) => Policy.GameIndex(envId);

    /// <summary>Real-unit Q-values of every action of game <paramref name="game"/> for one observation (<c>[C, 10, 10]</c> 0/1 bytes).</summary>
    public float[] QValues(int game, ReadOnlySpan<byte> obs)
    {
        var q = new float[Specs[game].ActionCount];
        QValues(game, obs, q);
        return q;
    }

    /// <summary>Real-unit Q-values into <paramref name="values"/> (length: the game's action count), without allocating.</summary>
    public void QValues(int game, ReadOnlySpan<byte> obs, Span<float> values)
    {
        int cells = Specs[game].Channels * 100;
        if (obs.Length != cells) throw new ArgumentException($"{Games[game]} observations have {cells} cells, got {obs.Length}", nameof(obs));
        var input = _obs.Array;
        for (int i = 0; i < cells; i++) input[i] = obs[i];
        input.AsSpan(cells).Clear();
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var q = _network.head(game, _network.trunk(_obs.Host, _task[game]));
            using var result = q.data<float>();
            result.CopyTo(values);
        }
        Policy.ToRealUnits(game, values);
    }

    /// <summary>
    /// Real-unit Q-values of game <paramref name="game"/> for a batch of observations (each <c>[C, 10, 10]</c> 0/1 bytes),
    /// one row per observation, in one forward pass.
    /// </summary>
    public float[][] QValues(int game, IReadOnlyList<byte[]> observations) => Policy.QValues(game, observations);

    /// <summary>The online network as an evaluation policy.</summary>
    public NetworkPolicy Policy { get; }

    /// <summary>Greedy action (lowest index among ties), or uniform random with probability <paramref name="epsilon"/> drawn from <paramref name="rng"/>.</summary>
    public int Act(int game, ReadOnlySpan<byte> obs, double epsilon = 0, Xoshiro256? rng = null)
    {
        if (epsilon > 0 && rng is null) throw new ArgumentNullException(nameof(rng), "epsilon-greedy acting needs a random generator");
        Span<float> q = stackalloc float[Specs[game].ActionCount];
        QValues(game, obs, q);
        return epsilon > 0 ? EpsilonGreedy.Select(q, epsilon, rng!).Action : EpsilonGreedy.Argmax(q);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _obs.Dispose();
        foreach (var t in _task) t.Dispose();
        _network.Dispose();
    }
}
