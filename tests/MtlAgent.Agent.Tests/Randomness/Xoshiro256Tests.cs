using MtlAgent.Agent.Randomness;

namespace MtlAgent.Agent.Tests.Randomness;

public class Xoshiro256Tests
{
    [Fact]
    public void RngStateRoundTripsAndStreamsDiffer()
    {
        var a = Xoshiro256.ForStream(3, "replay");
        for (int i = 0; i < 10; i++) a.NextUInt64();
        var b = new Xoshiro256(0);
        b.SetState(a.GetState());
        for (int i = 0; i < 100; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
        Assert.NotEqual(Xoshiro256.ForStream(3, "replay").NextUInt64(), Xoshiro256.ForStream(3, "acting").NextUInt64());
        var counts = new int[6];
        for (int i = 0; i < 60_000; i++) counts[a.NextInt(6)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }
}
