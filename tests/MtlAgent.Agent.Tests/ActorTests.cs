using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Model;
using MtlAgent.Agent.Randomness;
using MtlAgent.Agent.Replay;
using MtlAgent.Agent.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Tests;

public class ActorTests
{
    [Fact]
    public void EpsilonGreedyActsUniformlyOrGreedilyPerGame()
    {
        manual_seed(5);
        using var net = new MultiTaskQNetwork(new NetworkConfig { Hidden = 16, ConvChannels = [4] }, 7, [3, 6]);
        using var actor = new BatchedActor(net, envsPerGame: 2, CPU);
        var obsRng = new Xoshiro256(1);
        var obs = Enumerable.Range(0, 4).Select(row => Enumerable.Range(0, (row < 2 ? 4 : 7) * 100).Select(_ => (byte)(obsRng.NextInt(6) == 0 ? 1 : 0)).ToArray()).ToArray();
        var actions = new int[4];

        // Epsilon 1: uniform over each game's own actions.
        var counts = new int[4, 6];
        var rng = new Xoshiro256(2);
        for (int i = 0; i < 6000; i++)
        {
            actor.Act(1.0, rng, row => obs[row], actions);
            for (int row = 0; row < 4; row++) counts[row, actions[row]]++;
        }
        for (int a = 0; a < 3; a++) Assert.InRange(counts[0, a], 1800, 2200);
        for (int a = 3; a < 6; a++) Assert.Equal(0, counts[1, a]);
        for (int a = 0; a < 6; a++) Assert.InRange(counts[3, a], 850, 1150);

        // Epsilon 0: the argmax of each row's own head, observations zero-padded to 7 channels.
        actor.Act(0.0, rng, row => obs[row], actions);
        using var scope = NewDisposeScope();
        for (int row = 0; row < 4; row++)
        {
            int game = row / 2;
            var cells = new float[700];
            for (int i = 0; i < obs[row].Length; i++) cells[i] = obs[row][i];
            var x = tensor(cells, [1, 7, 10, 10]);
            var rows = game == 0 ? new[] { 1, 0 } : new[] { 0, 1 };
            float[] q;
            using (no_grad()) q = net.forward(x, ReplayBatch.TaskOneHot(rows, CPU), rows)[game].data<float>().ToArray();
            Assert.Equal(Array.IndexOf(q, q.Max()), actions[row]);
        }
    }
}
