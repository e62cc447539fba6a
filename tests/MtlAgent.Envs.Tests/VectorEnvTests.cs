namespace MtlAgent.Envs.Tests;

/// <summary>The vector env equals N single envs seeded seed + i, with auto-reset.</summary>
public sealed class VectorEnvTests
{
    [Theory]
    [InlineData("MinAtar/Breakout-v1")]
    [InlineData("MinAtar/Seaquest-v0")]
    [InlineData("MinAtar/SpaceInvaders-v1")]
    public void VectorEnvEqualsSingleEnvsWithTheSameSeeds(string id)
    {
        const int n = 4, seed = 100;
        using var vec = new VectorEnv(id, n, seed: seed);
        var singles = Enumerable.Range(0, n).Select(_ => EnvRegistry.Make(id)).ToArray();
        byte[] first = vec.Reset();
        int size = vec.ObservationSize;
        for (int i = 0; i < n; i++)
            Assert.Equal(singles[i].Reset(seed + i).Observation, first.AsSpan(i * size, size).ToArray());

        var random = new Random(3);
        var actions = new int[n];
        int episodes = 0;
        for (int t = 0; t < 400; t++)
        {
            for (int i = 0; i < n; i++) actions[i] = random.Next(vec.ActionSpace.N);
            vec.Step(actions);
            for (int i = 0; i < n; i++)
            {
                var r = singles[i].Step(actions[i]);
                Assert.Equal(r.Reward, vec.Rewards[i]);
                Assert.Equal(r.Terminated, vec.Terminated[i]);
                if (r.Terminated)
                {
                    Assert.Equal(r.Observation, vec.FinalObservations.AsSpan(i * size, size).ToArray());
                    var end = Assert.Single(vec.EpisodeEnds, e => e.EnvIndex == i);
                    Assert.Equal(singles[i].EpisodeReturn, end.Return);
                    Assert.Equal(singles[i].EpisodeStep, end.Length);
                    episodes++;
                    singles[i].Reset();
                    singles[i].WriteObservation(r.Observation);
                }
                Assert.Equal(r.Observation, vec.Observations.AsSpan(i * size, size).ToArray());
            }
        }
        Assert.True(episodes > 0);
        foreach (var s in singles) s.Dispose();
    }

    [Fact]
    public void TruncatedEpisodesReportTheFinalObservation()
    {
        using var vec = new VectorEnv("MinAtar/Freeway-v1", 2, new EnvOptions { MaxEpisodeSteps = 5 }, seed: 1);
        vec.Reset();
        for (int t = 0; t < 4; t++) vec.Step([1, 0]);
        Assert.Empty(vec.EpisodeEnds);
        vec.Step([1, 0]);
        Assert.Equal(2, vec.EpisodeEnds.Count);
        Assert.All(vec.EpisodeEnds, e => Assert.True(e.Truncated && e.Length == 5));
        Assert.True(vec.Truncated[0] && vec.Truncated[1]);
        Assert.Equal(0, vec[0].EpisodeStep);
    }

    [Fact]
    public void VectorStateRestoresAndContinuesIdentically()
    {
        using var a = new VectorEnv("MinAtar/Asterix-v1", 3, seed: 9);
        a.Reset();
        var random = new Random(2);
        var actions = new int[3];
        for (int t = 0; t < 120; t++) { for (int i = 0; i < 3; i++) actions[i] = random.Next(5); a.Step(actions); }
        using var b = new VectorEnv("MinAtar/Asterix-v1", 3);
        b.SetState(a.GetState());
        Assert.Equal(a.Observations, b.Observations);
        for (int t = 0; t < 500; t++)
        {
            for (int i = 0; i < 3; i++) actions[i] = random.Next(5);
            a.Step(actions);
            b.Step(actions);
            Assert.Equal(a.Observations, b.Observations);
            Assert.Equal(a.Rewards, b.Rewards);
            Assert.Equal(a.EpisodeEnds, b.EpisodeEnds);
        }
    }

    [Fact]
    public void BadInputIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VectorEnv("MinAtar/Breakout-v1", 0));
        using var vec = new VectorEnv("MinAtar/Breakout-v1", 2, seed: 0);
        Assert.Throws<InvalidOperationException>(() => vec.Step([0, 0]));
        vec.Reset();
        var e = Assert.Throws<ArgumentException>(() => vec.Step([0]));
        Assert.Contains("1 actions for 2", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => vec.Step([0, 7]));
        using var other = new VectorEnv("MinAtar/Breakout-v1", 3);
        Assert.Throws<ArgumentException>(() => other.SetState(vec.GetState()));
        Assert.Throws<ArgumentException>(() => other.SetState([0, 1]));
    }
}
