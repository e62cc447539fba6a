namespace MtlAgent.Envs.Tests;

/// <summary>The Gymnasium-shaped API: registry, spaces, errors, truncation, observations.</summary>
public sealed class ApiTests
{
    [Fact]
    public void RegistryHasTenIdsWithMinimalAndFullActionSets()
    {
        Assert.Equal(10, EnvRegistry.Ids.Count);
        var spec = EnvRegistry.Spec("MinAtar/SpaceInvaders-v1");
        Assert.Equal("SpaceInvaders", spec.Game);
        Assert.Equal(6, spec.Channels);
        Assert.Equal([0, 1, 3, 5], spec.FullActions);
        Assert.Equal(["noop", "left", "right", "fire"], spec.ActionNames);
        Assert.Equal(6, EnvRegistry.Spec("MinAtar/Breakout-v0").ActionCount);
        Assert.Equal([0, 2, 4], EnvRegistry.Spec("MinAtar/Freeway-v1").FullActions);
        foreach (string id in EnvRegistry.Ids)
        {
            var s = EnvRegistry.Spec(id);
            Assert.Equal(s.Channels, s.ChannelNames.Count);
            using var env = EnvRegistry.Make(id);
            Assert.Equal(s.Channels, env.ObservationSpace.Shape[0]);
        }
        Assert.Equal("oxygen_gauge", EnvRegistry.Spec("MinAtar/Seaquest-v0").ChannelNames[7]);
    }

    [Fact]
    public void UnknownIdListsTheKnownOnes()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => EnvRegistry.Make("MinAtar/Brekout-v1"));
        Assert.Contains("Brekout", e.Message);
        Assert.Contains("MinAtar/Breakout-v1", e.Message);
        Assert.Contains("MinAtar/SpaceInvaders-v0", e.Message);
    }

    [Fact]
    public void SpacesDescribeActionsAndObservations()
    {
        using var env = EnvRegistry.Make("MinAtar/Seaquest-v1");
        Assert.Equal(6, env.ActionSpace.N);
        Assert.Equal([10, 10, 10], env.ObservationSpace.Shape);
        var (obs, _) = env.Reset(1);
        Assert.Equal(1000, obs.Length);
        Assert.All(obs, b => Assert.InRange(b, (byte)0, (byte)1));
    }

    [Fact]
    public void InvalidActionNamesTheValidRange()
    {
        using var env = EnvRegistry.Make("MinAtar/Breakout-v1");
        env.Reset(0);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(3));
        Assert.Contains("0..2", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(-1));
    }

    [Fact]
    public void StepBeforeResetOrAfterTheEndIsRefused()
    {
        using var env = EnvRegistry.Make("MinAtar/SpaceInvaders-v1");
        Assert.Throws<InvalidOperationException>(() => env.Step(0));
        env.Reset(0);
        StepResult r;
        do r = env.Step(0); while (!r.Terminated);
        var e = Assert.Throws<InvalidOperationException>(() => env.Step(0));
        Assert.Contains("Reset", e.Message);
        env.Reset();
        env.Step(0);
    }

    [Fact]
    public void MaxEpisodeStepsTruncates()
    {
        using var env = EnvRegistry.Make("MinAtar/Freeway-v1", new EnvOptions { MaxEpisodeSteps = 100 });
        env.Reset(0);
        for (int i = 1; i < 100; i++) Assert.False(env.Step(1).Truncated);
        var last = env.Step(1);
        Assert.True(last.Truncated);
        Assert.False(last.Terminated);
        Assert.Equal(100, (int)last.Info["episode_step"]);
        Assert.Throws<InvalidOperationException>(() => env.Step(0));
    }

    [Fact]
    public void BadOptionsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            EnvRegistry.Make("MinAtar/Breakout-v1", new EnvOptions { StickyActionProb = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => EnvRegistry.Make("MinAtar/Breakout-v1", new EnvOptions { MaxEpisodeSteps = 0 }));
    }

    [Fact]
    public void SameSeedSameEpisodeAndStepMatchesStepInPlace()
    {
        using var a = EnvRegistry.Make("MinAtar/Asterix-v1");
        using var b = EnvRegistry.Make("MinAtar/Asterix-v1");
        Assert.Equal(a.Reset(77).Observation, b.Reset(77).Observation);
        var buffer = new byte[b.ObservationSize];
        var random = new Random(1);
        for (int i = 0; i < 200; i++)
        {
            int action = random.Next(5);
            var r = a.Step(action);
            var s = b.StepInPlace(action);
            b.WriteObservation(buffer);
            Assert.Equal(r.Observation, buffer);
            Assert.Equal((r.Reward, r.Terminated), (s.Reward, s.Terminated));
            Assert.Equal(a.LastAction, (int)r.Info["applied_action"]);
            if (r.Terminated) { a.Reset(); b.Reset(); }
        }
    }

    [Fact]
    public void MinimalActionsMapToFullIndices()
    {
        using var env = EnvRegistry.Make("MinAtar/SpaceInvaders-v1", new EnvOptions { StickyActionProb = 0 });
        env.Reset(0);
        env.Step(3);
        Assert.Equal(5, env.LastAction);
        env.Step(2);
        Assert.Equal(3, env.LastAction);
    }

    [Fact]
    public void LastActionSurvivesReset()
    {
        using var env = EnvRegistry.Make("MinAtar/Breakout-v0", new EnvOptions { StickyActionProb = 1 });
        env.Reset(0);
        env.Step(3);
        Assert.Equal(0, env.LastAction); // always sticky: the initial noop repeats
        using var other = EnvRegistry.Make("MinAtar/Breakout-v0", new EnvOptions { StickyActionProb = 0 });
        other.Reset(0);
        other.Step(3);
        other.Reset();
        Assert.Equal(3, other.LastAction);
    }

    [Fact]
    public void DifficultyRampIsReportedOnlyWhereGamesRamp()
    {
        using var breakout = EnvRegistry.Make("MinAtar/Breakout-v1");
        using var asterix = EnvRegistry.Make("MinAtar/Asterix-v1");
        Assert.Null(breakout.DifficultyRamp);
        Assert.Equal(0, asterix.DifficultyRamp);
    }

    [Fact]
    public void NegativeSeedIsRejected()
    {
        using var env = EnvRegistry.Make("MinAtar/Breakout-v1");
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Reset(-1));
    }
}
