using Xunit.Abstractions;

namespace MtlAgent.Envs.Tests;

/// <summary>Random and scripted play against the upstream statistics (spec 10.1).</summary>
public sealed class StatisticsTests(ITestOutputHelper output)
{
    // id, episodes, seed, return mean, return sem, length mean, length sd (reference, 2000 episodes)
    public static TheoryData<string, int, double, double, double, double> RandomRows => new()
    {
        { "MinAtar/Breakout-v1", 1000, 0.370, 0.014, 9.8, 6.5 },
        { "MinAtar/Breakout-v0", 1000, 0.532, 0.017, 11.4, 7.8 },
        { "MinAtar/Asterix-v1", 1000, 0.503, 0.020, 66.2, 41.1 },
        { "MinAtar/Asterix-v0", 1000, 0.531, 0.021, 71.1, 45.4 },
        { "MinAtar/Freeway-v1", 500, 0.404, 0.014, 2501, 0 },
        { "MinAtar/Freeway-v0", 500, 0.129, 0.008, 2501, 0 },
        { "MinAtar/Seaquest-v1", 1000, 0.100, 0.009, 30.2, 36.3 },
        { "MinAtar/Seaquest-v0", 1000, 0.100, 0.009, 30.4, 37.0 },
        { "MinAtar/SpaceInvaders-v1", 1000, 4.054, 0.072, 58.3, 45.9 },
        { "MinAtar/SpaceInvaders-v0", 1000, 2.776, 0.051, 50.7, 38.9 },
    };

    [Theory]
    [MemberData(nameof(RandomRows))]
    public void RandomPolicyMatchesUpstreamWithinThreeStandardErrors(string id, int episodes, double returnMean, double returnSem, double lengthMean, double lengthSd)
    {
        var s = Rollouts.Play(id, episodes, seed: 2024, Rollouts.Random);
        double lengthSem = lengthSd / Math.Sqrt(2000);
        output.WriteLine($"{id}: return {s.ReturnMean:F3} (ref {returnMean}), length {s.LengthMean:F1} (ref {lengthMean}), {episodes} episodes");
        // Both means are estimates: compare with the standard error of their difference.
        Assert.InRange(s.ReturnMean - returnMean, -3 * Hypot(returnSem, s.ReturnSem), 3 * Hypot(returnSem, s.ReturnSem));
        Assert.InRange(s.LengthMean - lengthMean, -3 * Hypot(lengthSem, s.LengthSem) - 1e-9, 3 * Hypot(lengthSem, s.LengthSem) + 1e-9);
    }

    private static double Hypot(double a, double b) => Math.Sqrt(a * a + b * b);

    [Fact]
    public void SpaceInvadersAlwaysFireScoresThreeInEighteenSteps()
    {
        var s = Rollouts.Play("MinAtar/SpaceInvaders-v1", 200, seed: 5, (_, env) => env.Spec.ActionIndex("fire"));
        Assert.All(s.Returns, r => Assert.Equal(3, r));
        Assert.All(s.Lengths, l => Assert.Equal(18, l));
    }

    [Fact]
    public void SpaceInvadersAlwaysNoopScoresNothingInSeventeenSteps()
    {
        var s = Rollouts.Play("MinAtar/SpaceInvaders-v0", 200, seed: 6, (_, _) => 0);
        Assert.All(s.Returns, r => Assert.Equal(0, r));
        Assert.All(s.Lengths, l => Assert.Equal(17, l));
    }

    [Fact]
    public void FreewayEpisodesLast2501StepsAndNoopScoresNothing()
    {
        var s = Rollouts.Play("MinAtar/Freeway-v1", 20, seed: 7, (_, _) => 0);
        Assert.All(s.Lengths, l => Assert.Equal(2501, l));
        Assert.All(s.Returns, r => Assert.Equal(0, r));
    }

    [Fact]
    public void SeaquestAlwaysDownNeverScoresAndDrownsBy201Steps()
    {
        var s = Rollouts.Play("MinAtar/Seaquest-v0", 300, seed: 8, (_, _) => 4);
        Assert.All(s.Returns, r => Assert.Equal(0, r));
        Assert.InRange(s.MaxLength, 150, 201);
        output.WriteLine($"always down: length mean {s.LengthMean:F1} (ref 133.9), min {s.MinLength} (ref 33)");
        Assert.InRange(s.LengthMean, 133.9 - 3 * Hypot(60.8 / Math.Sqrt(2000), s.LengthSem), 133.9 + 3 * Hypot(60.8 / Math.Sqrt(2000), s.LengthSem));
    }

    [Fact]
    public void BreakoutShortestEpisodeIsSixSteps()
    {
        var s = Rollouts.Play("MinAtar/Breakout-v1", 300, seed: 9, (_, _) => 0);
        Assert.Equal(6, s.MinLength);
        Assert.InRange(s.MaxLength, 6, 16);
    }
}
