using MtlAgent.Agent.Evaluation;

namespace MtlAgent.Agent.Tests.Evaluation;

public class ReturnStatisticsTests
{
    [Fact]
    public void MeanStandardErrorAndMedianOfKnownReturns()
    {
        // Sample sd of {1,2,3,4} is sqrt(5/3); s.e. = sd / 2.
        var s = ReturnStatistics.Of([4, 1, 3, 2]);
        Assert.Equal(4, s.Count);
        Assert.Equal(2.5, s.Mean, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3.0) / 2.0, s.Sem, 12);
        Assert.Equal(2.5, s.Median, 12);
    }

    [Fact]
    public void OddCountTakesTheMiddleValue() => Assert.Equal(3, ReturnStatistics.Of([10, 3, 0]).Median);

    [Fact]
    public void OneEpisodeHasZeroStandardError() => Assert.Equal(0, ReturnStatistics.Of([7]).Sem);

    [Fact]
    public void NoEpisodesIsAnError() => Assert.Throws<ArgumentException>(() => ReturnStatistics.Of([]));
}
