using MtlAgent.Agent.Randomness;
using MtlAgent.Agent.Replay;

namespace MtlAgent.Agent.Tests.Replay;

public class ReplayBufferTests
{
    private static byte[] RandomObs(Xoshiro256 rng, int channels) =>
        Enumerable.Range(0, channels * 100).Select(_ => (byte)(rng.NextInt(4) == 0 ? 1 : 0)).ToArray();

    [Theory]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(10)]
    public void BitPackingRoundTrips(int channels)
    {
        var rng = new Xoshiro256(1);
        for (int trial = 0; trial < 50; trial++)
        {
            var obs = RandomObs(rng, channels);
            var packed = new byte[BitPacking.PackedLength(obs.Length)];
            BitPacking.Pack(obs, packed);
            var back = new byte[obs.Length];
            BitPacking.Unpack(packed, back);
            Assert.Equal(obs, back);
            var floats = new float[obs.Length];
            BitPacking.Unpack(packed, floats);
            Assert.Equal(obs.Select(b => (float)b), floats);
        }
    }

    [Fact]
    public void BytesPerTransitionMeetsGoal()
    {
        Assert.Equal(125 + 6, new ReplayBuffer(1000, 10).BytesPerTransition);
        Assert.Equal(50 + 6, new ReplayBuffer(1000, 4).BytesPerTransition);
        Assert.True(new ReplayBuffer(1000, 10).BytesPerTransition < 160);
    }

    [Fact]
    public void SuccessorsAreReconstructedAcrossEpisodeBoundariesAndWraparound()
    {
        var rng = new Xoshiro256(2);
        const int channels = 4, capacity = 50;
        var buffer = new ReplayBuffer(capacity, channels, streams: 2);
        // Reference list of every transition, to check what the buffer can still return.
        var stored = new Dictionary<string, (byte[] Next, int Action, float Reward, bool Terminal)>();
        var current = new byte[2][];
        for (int s = 0; s < 2; s++) { current[s] = RandomObs(rng, channels); buffer.BeginEpisode(s, current[s]); }
        for (int t = 0; t < 400; t++)
        {
            for (int s = 0; s < 2; s++)
            {
                var next = RandomObs(rng, channels);
                int action = rng.NextInt(6);
                bool terminal = rng.NextInt(7) == 0, truncated = !terminal && rng.NextInt(20) == 0;
                buffer.AddStep(s, action, t + s * 0.5f, terminal, terminal || truncated, next);
                stored[Convert.ToHexString(current[s]) + t] = (next, action, t + s * 0.5f, terminal);
                current[s] = next;
                if (terminal || truncated) { current[s] = RandomObs(rng, channels); buffer.BeginEpisode(s, current[s]); }
            }
        }
        var sampler = new Xoshiro256(3);
        var indices = new int[16];
        var obs = new float[16 * 1000]; var nextObs = new float[16 * 1000];
        var actions = new long[16]; var rewards = new float[16]; var terminals = new float[16];
        for (int round = 0; round < 20; round++)
        {
            buffer.Sample(sampler, indices);
            Assert.Equal(indices.Length, indices.Distinct().Count());
            buffer.Gather(indices, 0, 10, obs, nextObs, actions, rewards, terminals);
            for (int i = 0; i < indices.Length; i++)
            {
                var o = obs.AsSpan(i * 1000, 400).ToArray().Select(f => (byte)f).ToArray();
                int t = (int)rewards[i];
                var (next, action, reward, terminal) = stored[Convert.ToHexString(o) + t];
                Assert.Equal(next.Select(b => (float)b), nextObs.AsSpan(i * 1000, 400).ToArray());
                Assert.Equal(action, actions[i]);
                Assert.Equal(reward, rewards[i]);
                Assert.Equal(terminal ? 1f : 0f, terminals[i]);
                Assert.All(obs.AsSpan(i * 1000 + 400, 600).ToArray(), v => Assert.Equal(0f, v)); // padded channels
            }
        }
    }

    [Fact]
    public void SamplingIsWithoutReplacementAndUniform()
    {
        var buffer = new ReplayBuffer(100, 4);
        var obs = new byte[400];
        buffer.BeginEpisode(0, obs);
        for (int t = 0; t < 40; t++) buffer.AddStep(0, 0, t, false, false, obs);
        Assert.Equal(40, buffer.Count);
        var rng = new Xoshiro256(5);
        var all = new int[40];
        buffer.Sample(rng, all);
        Assert.Equal(40, all.Distinct().Count());
        var counts = new int[100];
        var batch = new int[8];
        for (int i = 0; i < 5000; i++) { buffer.Sample(rng, batch); foreach (int s in batch) counts[s]++; }
        // 5000 * 8 / 40 = 1000 expected per transition; the 40th slot holds the newest observation only.
        Assert.All(counts.Take(40), c => Assert.InRange(c, 850, 1150));
        Assert.All(counts.Skip(40), c => Assert.Equal(0, c));
        Assert.Throws<InvalidOperationException>(() => buffer.Sample(rng, new int[41]));
    }

    [Fact]
    public void ExportAndImportRoundTripAndRefuseWhatDoesNotFit()
    {
        var rng = new Xoshiro256(7);
        var buffer = new ReplayBuffer(64, 7);
        buffer.BeginEpisode(0, RandomObs(rng, 7));
        for (int t = 0; t < 100; t++)
        {
            bool end = t % 13 == 12;
            buffer.AddStep(0, rng.NextInt(6), t, end, end, RandomObs(rng, 7));
            if (end) buffer.BeginEpisode(0, RandomObs(rng, 7));
        }
        var contents = buffer.Export();
        var copy = new ReplayBuffer(64, 7);
        copy.Import(contents);
        Assert.Equal(buffer.Count, copy.Count);
        var a = new int[10]; var b = new int[10];
        buffer.Sample(new Xoshiro256(9), a); copy.Sample(new Xoshiro256(9), b);
        Assert.Equal(a, b);
        for (int i = 0; i < 64; i++) Assert.Equal(buffer.ObservationAt(i), copy.ObservationAt(i));

        Assert.Contains("shape", Assert.Throws<InvalidDataException>(() => new ReplayBuffer(64, 4).Import(contents)).Message);
        Assert.Contains("disagrees", Assert.Throws<InvalidDataException>(() =>
            new ReplayBuffer(64, 7).Import(contents with { Count = contents.Count - 1 })).Message);
        Assert.Contains("head", Assert.Throws<InvalidDataException>(() =>
            new ReplayBuffer(64, 7).Import(contents with { Heads = [64] })).Message);
        Assert.Contains("lengths", Assert.Throws<InvalidDataException>(() =>
            new ReplayBuffer(64, 7).Import(contents with { Flags = new byte[3] })).Message);
    }
}
