using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Tasks;

namespace MtlAgent.Agent.Tests.Tasks;

public class TaskWeightingTests
{
    [Fact]
    public void WorstCaseWeightsFavourTheWeakestAndNeverVanish()
    {
        var w = TaskWeighting.WorstCase([0.1, 0.9, 1.5], 0.5);
        Assert.Equal(3.0, w.Sum(), 12);
        Assert.True(w[0] > w[1] && w[1] > w[2]);
        Assert.All(w, x => Assert.True(x >= TaskWeighting.UniformMix));
        Assert.Equal([1.0, 1.0], TaskWeighting.WorstCase([0.1, null], 0.5));
        Assert.Equal([1.0, 1.0, 1.0], TaskWeighting.Compute(new TaskConfig(), [0.1, 0.2, 3]));
    }
}
