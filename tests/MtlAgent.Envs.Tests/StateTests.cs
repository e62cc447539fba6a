namespace MtlAgent.Envs.Tests;

/// <summary>Exact resume: exported state restored into a fresh environment continues identically.</summary>
public sealed class StateTests
{
    public static TheoryData<string> AllIds => new(EnvRegistry.Ids);

    [Theory]
    [MemberData(nameof(AllIds))]
    public void RestoredEnvironmentContinuesIdentically(string id)
    {
        using var a = EnvRegistry.Make(id);
        a.Reset(31);
        var random = new Random(4);
        for (int i = 0; i < 150; i++)
            if (a.StepInPlace(random.Next(a.ActionSpace.N)).Done) a.ResetInPlace();
        byte[] state = a.GetState();

        using var b = EnvRegistry.Make(id);
        b.SetState(state);
        Assert.Equal(state, b.GetState());
        var oa = new byte[a.ObservationSize];
        var ob = new byte[b.ObservationSize];
        for (int i = 0; i < 3000; i++)
        {
            int action = random.Next(a.ActionSpace.N);
            var sa = a.StepInPlace(action);
            var sb = b.StepInPlace(action);
            Assert.Equal(sa, sb);
            a.WriteObservation(oa);
            b.WriteObservation(ob);
            Assert.Equal(oa, ob);
            Assert.Equal(a.EpisodeReturn, b.EpisodeReturn);
            if (sa.Done) { a.ResetInPlace(); b.ResetInPlace(); }
        }
    }

    [Theory]
    [MemberData(nameof(AllIds))]
    public void EveryReachedStateRoundTrips(string id)
    {
        using var a = EnvRegistry.Make(id);
        using var b = EnvRegistry.Make(id);
        a.Reset(5);
        var random = new Random(9);
        for (int i = 0; i < 20_000; i++)
        {
            byte[] state = a.GetState();
            b.SetState(state);
            Assert.Equal(state, b.GetState());
            if (a.StepInPlace(random.Next(a.ActionSpace.N)).Done) a.ResetInPlace();
        }
    }

    [Fact]
    public void UnseededStateKeepsBothGenerators()
    {
        using var a = EnvRegistry.Make("MinAtar/Seaquest-v1");
        a.Reset();
        using var b = EnvRegistry.Make("MinAtar/Seaquest-v1");
        b.SetState(a.GetState());
        for (int i = 0; i < 500; i++)
        {
            var sa = a.StepInPlace(i % 6);
            Assert.Equal(sa, b.StepInPlace(i % 6));
            if (sa.Done) { a.ResetInPlace(); b.ResetInPlace(); }
        }
    }

    [Fact]
    public void MalformedStateIsRejectedClearlyAndLeavesTheEnvironmentUnchanged()
    {
        using var env = EnvRegistry.Make("MinAtar/Breakout-v1");
        env.Reset(1);
        byte[] before = env.GetState();
        Assert.Throws<ArgumentException>(() => env.SetState([1, 2, 3]));
        byte[] truncated = before[..^5];
        var e = Assert.Throws<ArgumentException>(() => env.SetState(truncated));
        Assert.Contains("malformed", e.Message);
        Assert.Equal(before, env.GetState());

        using var other = EnvRegistry.Make("MinAtar/Asterix-v1");
        other.Reset(1);
        var wrong = Assert.Throws<ArgumentException>(() => env.SetState(other.GetState()));
        Assert.Contains("MinAtar/Asterix-v1", wrong.Message);

        using var capped = EnvRegistry.Make("MinAtar/Breakout-v1", new EnvOptions { MaxEpisodeSteps = 10 });
        Assert.Throws<ArgumentException>(() => capped.SetState(before));
    }
}
