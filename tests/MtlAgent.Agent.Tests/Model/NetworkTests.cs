using MtlAgent.Agent.Checkpoints;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Learning;
using MtlAgent.Agent.Model;
using MtlAgent.Agent.Tests.Support;
using MtlAgent.Agent.Training;
using MtlAgent.Envs;
using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Tests.Model;

public class NetworkTests
{
    private static long Count(MultiTaskQNetwork net) => net.parameters().Sum(p => p.numel());

    [Theory]
    [InlineData(4, 132_566)]
    [InlineData(7, 132_998)]
    [InlineData(10, 133_430)]
    [InlineData(6, 132_854)]
    public void OneGameWithoutConditioningIsTheReferenceNetwork(int channels, long parameters)
    {
        using var net = new MultiTaskQNetwork(new NetworkConfig { TaskConditioning = TaskConditioning.None }, channels, [6]);
        Assert.Equal(parameters, Count(net));
    }

    [Fact]
    public void MinInputChannelsWidensTheInput_InTheTrainerAndInItsCheckpointsPolicy()
    {
        Assert.Equal(6, MultiTaskQNetwork.InputChannels(new NetworkConfig(), [6, 4]));
        Assert.Equal(6, MultiTaskQNetwork.InputChannels(new NetworkConfig { MinInputChannels = 3 }, [6, 4]));
        Assert.Equal(10, MultiTaskQNetwork.InputChannels(new NetworkConfig { MinInputChannels = 10 }, [6, 4]));

        var tiny = Configs.Tiny();                                   // Breakout and Asterix: 4 channels each
        var config = tiny with { Network = tiny.Network with { MinInputChannels = 10 } };
        using var dir = new TempDir();
        using var t = new Trainer(config);
        for (int i = 0; i < 80; i++) t.Step();
        Assert.Equal(10, t.Channels);
        Assert.Equal(8 * 10 * 3 * 3, t.Learner.Online.named_parameters().Single(p => p.name == "convs.0.weight").parameter.numel());
        TrainerCheckpoint.Save(t, dir.Path, wallSeconds: 0);
        using var loaded = CheckpointPolicy.Load(dir.Path);
        var (cells, _) = EnvRegistry.Make("MinAtar/Asterix-v1").Reset(seed: 3);
        float[][] fromCheckpoint = [null!], fromTrainer = [null!];
        loaded.Policy.Outputs([0, 1], _ => cells, fromCheckpoint);
        t.Policy.Outputs([0, 1], _ => cells, fromTrainer);
        Assert.Equal(fromTrainer[0], fromCheckpoint[0], new FloatTolerance(1e-6f));

        Assert.Contains("network.min_input_channels: -1 must be at least 0", Assert.Throws<ConfigException>(() =>
            new ConfigBuilder().Set("network.min_input_channels=-1").Build()).Message);
    }

    [Fact]
    public void ConditioningAddsTheDocumentedParameters()
    {
        int[] actions = [3, 6, 3];
        using var none = new MultiTaskQNetwork(new NetworkConfig { TaskConditioning = TaskConditioning.None }, 10, actions);
        using var concat = new MultiTaskQNetwork(new NetworkConfig { TaskConditioning = TaskConditioning.Concat }, 10, actions);
        using var film = new MultiTaskQNetwork(new NetworkConfig { TaskConditioning = TaskConditioning.Film }, 10, actions);
        Assert.Equal(Count(none) + 3 * 128, Count(concat));
        Assert.Equal(Count(none) + 2 * 3 * 128, Count(film));
    }

    [Theory]
    [InlineData(TaskConditioning.Concat)]
    [InlineData(TaskConditioning.Film)]
    [InlineData(TaskConditioning.None)]
    public void MixedBatchScoresEachRowWithItsOwnHead(TaskConditioning conditioning)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var net = new MultiTaskQNetwork(
            new NetworkConfig { TaskConditioning = conditioning, ConvChannels = [8, 8], Hidden = 32 }, 7, [3, 6]);
        var obs = rand(new long[] { 5, 7, 10, 10 });
        var q = net.forward(obs, MultiTaskQNetwork.TaskOneHot([2, 3], CPU), [2, 3]);
        Assert.Equal(new long[] { 2, 3 }, q[0].shape);
        Assert.Equal(new long[] { 3, 6 }, q[1].shape);
        // Row 3 alone, as game 1, gives the same values as inside the mixed batch.
        var alone = net.forward(obs.narrow(0, 3, 1), MultiTaskQNetwork.TaskOneHot([0, 1], CPU), [0, 1]);
        Assert.Equal(q[1].narrow(0, 1, 1).data<float>().ToArray(), alone[1].data<float>().ToArray(), new FloatTolerance(1e-5f));
    }

    [Fact]
    public void FilmStartsAtTheIdentity()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var film = new MultiTaskQNetwork(
            new NetworkConfig { TaskConditioning = TaskConditioning.Film, ConvChannels = [8], Hidden = 32 }, 4, [3, 3]);
        manual_seed(2);
        using var none = new MultiTaskQNetwork(
            new NetworkConfig { TaskConditioning = TaskConditioning.None, ConvChannels = [8], Hidden = 32 }, 4, [3, 3]);
        var obs = rand(4, 4, 10, 10);
        var task = MultiTaskQNetwork.TaskOneHot([2, 2], CPU);
        // Same initial weights (FiLM's scale and shift are made after the layers), so untrained FiLM changes nothing.
        Assert.Equal(none.trunk(obs, task, [2, 2]).data<float>().ToArray(), film.trunk(obs, task, [2, 2]).data<float>().ToArray());
    }
}
