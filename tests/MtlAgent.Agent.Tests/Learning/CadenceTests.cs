using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Learning;

namespace MtlAgent.Agent.Tests.Learning;

public class CadenceTests
{
    [Fact]
    public void CadenceFollowsReference()
    {
        var c = new LearnerConfig { LearningStarts = 5000, UpdatePeriod = 1, TargetUpdatePeriod = 1000 };
        Assert.False(Cadence.UpdateDue(c, 5000, 5000));
        Assert.True(Cadence.UpdateDue(c, 5001, 5001));
        var every4 = c with { UpdatePeriod = 4 };
        Assert.Equal(new[] { 5004L, 5008 }, Enumerable.Range(5001, 8).Select(t => (long)t).Where(t => Cadence.UpdateDue(every4, t, t)));
        Assert.False(Cadence.TargetSyncDue(c, 999));
        Assert.True(Cadence.TargetSyncDue(c, 1000));
    }
}
