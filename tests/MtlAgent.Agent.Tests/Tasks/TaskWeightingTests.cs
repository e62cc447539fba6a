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

    [Fact]
    public void MinMaxWeighsOnlyTheWorstGame_AboveTheUniformFloor()
    {
        double m = TaskWeighting.UniformMix;
        var w = TaskWeighting.MinMax([0.5, 0.1, 0.9]);
        var close = new Support.DoubleTolerance(1e-12);
        Assert.Equal([m, 3 * (1 - m) + m, m], w, close);                // 0.2, 2.6, 0.2: the floor, and the rest on game 1
        Assert.Equal(3.0, w.Sum(), 12);
        Assert.Equal(w, TaskWeighting.Compute(new TaskConfig { Weighting = Weighting.MinMax }, [0.5, 0.1, 0.9]));
        Assert.Equal([2 * (1 - m) + m, m], TaskWeighting.MinMax([0.3, 0.3]), close);   // a tie goes to the first game
        Assert.Equal([1.0, 1.0], TaskWeighting.MinMax([0.1, null]));          // uniform until every game has a score
        // the limit of worst_case as its temperature goes to 0
        Assert.Equal(w, TaskWeighting.WorstCase([0.5, 0.1, 0.9], 1e-3), new Support.DoubleTolerance(1e-9));
    }

    [Fact]
    public void LearnedWeightingsGiveOnesHere_TheLearnerHoldsTheirWeights()
    {
        foreach (var weighting in new[] { Weighting.GradNorm, Weighting.Uncertainty })
        {
            var config = new TaskConfig { Weighting = weighting };
            Assert.Equal([1.0, 1.0], TaskWeighting.Compute(config, [0.1, 0.9]));
            Assert.Equal([1.0, 1.0], LearnedTaskWeighting.Create(config, 2)!.Weights);
        }
        foreach (var weighting in new[] { Weighting.Uniform, Weighting.WorstCase, Weighting.MinMax })
            Assert.Null(LearnedTaskWeighting.Create(new TaskConfig { Weighting = weighting }, 2));
    }
}
