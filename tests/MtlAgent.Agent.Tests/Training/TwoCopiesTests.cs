using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Training;
using Xunit.Abstractions;

namespace MtlAgent.Agent.Tests.Training;

/// <summary>
/// Transfer that cannot be negative by construction: two copies of the same game (<c>MinAtar/Breakout-v1</c> and
/// <c>MinAtar/Breakout-v1#2</c>, different environment seeds) share a trunk whose gradients point the same way, so each
/// copy must learn at least as fast as one copy alone. Same fast settings as <see cref="LearningSmokeTests"/>, summed
/// game losses (<c>tasks.loss_reduction: sum</c>), 12,000 frames per game, greedy evaluation over 50 episodes.
/// Measured (seed 1): one copy alone 1.84; the two copies 1.44 and 2.24, mean 1.84 (random play: 0.37). The copies'
/// mean is compared, since the two copies' heads differ by about twice a 50-episode mean's standard error.
/// </summary>
public class TwoCopiesTests(ITestOutputHelper output)
{
    [Fact]
    public void TwoCopiesOfOneGameLearnAtLeastAsFastAsOneCopyAlone()
    {
        double single = Train(["MinAtar/Breakout-v1"])[0];
        var copies = Train(["MinAtar/Breakout-v1", "MinAtar/Breakout-v1#2"]);
        output.WriteLine($"one copy {single:F2}; two copies {copies[0]:F2} and {copies[1]:F2}");
        double perCopy = copies.Average();
        Assert.True(perCopy >= single - Margin, $"two jointly trained copies return {perCopy:F2} per copy, one copy alone {single:F2}");
        Assert.All(copies, copy => Assert.True(copy >= 1.2, $"a jointly trained copy returns {copy:F2}; random play gets 0.37"));
    }

    /// <summary>Noise allowance: about two standard errors of a mean over 50 episodes of both copies.</summary>
    private const double Margin = 0.3;

    private static double[] Train(IReadOnlyList<string> games) => LearningSmokeTests.TrainAndEvaluate(games, LossReduction.Sum);
}
