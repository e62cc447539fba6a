using Xunit.Abstractions;

namespace MtlAgent.Envs.Tests;

/// <summary>Random and scripted play against the upstream statistics (spec 10.1).</summary>
public sealed class StatisticsTests(ITestOutputHelper output)
{
    // id, episodes, return mean, return sd, return sem, length mean, length sd (reference, 2000 episodes)
    public static TheoryData<string, int, double, double, double, double, double> RandomRows => new()
    {
        { "MinAtar/Breakout-v1", 1000, 0.370, 0.624, 0.014, 9.8, 6.5 },
        { "MinAtar/Breakout-v0", 1000, 0.532, 0.752, 0.017, 11.4, 7.8 },
        { "MinAtar/Asterix-v1", 1000, 0.503, 0.875, 0.020, 66.2, 41.1 },
        { "MinAtar/Asterix-v0", 1000, 0.531, 0.919, 0.021, 71.1, 45.4 },
        { "MinAtar/Freeway-v1", 500, 0.404, 0.643, 0.014, 2501, 0 },
        { "MinAtar/Freeway-v0", 500, 0.129, 0.359, 0.008, 2501, 0 },
        { "MinAtar/Seaquest-v1", 1000, 0.100, 0.392, 0.009, 30.2, 36.3 },
        { "MinAtar/Seaquest-v0", 1000, 0.100, 0.39, 0.009, 30.4, 37.0 },
        { "MinAtar/SpaceInvaders-v1", 1000, 4.054, 3.201, 0.072, 58.3, 45.9 },
        { "MinAtar/SpaceInvaders-v0", 1000, 2.776, 2.261, 0.051, 50.7, 38.9 },
    };

    [Theory]
    [MemberData(nameof(RandomRows))]
    public void RandomPolicyMatchesUpstreamWithinThreeStandardErrors(string id, int episodes, double returnMean, double returnSd,
        double returnSem, double lengthMean, double lengthSd)
    {
        var s = Rollouts.Play(id, episodes, seed: 2024, Rollouts.Random);
        // Shape: the spreads agree too (a sample sd of ~1000 heavy-tailed values is good to about 15%).
        output.WriteLine($"{id}: return sd {Sd(s.Returns):F3} (ref {returnSd}), length sd " +
            $"{Sd(s.Lengths.Select(l => (double)l).ToArray()):F1} (ref {lengthSd})");
        Assert.InRange(Sd(s.Returns), 0.8 * returnSd, 1.2 * returnSd);
        Assert.InRange(Sd(s.Lengths.Select(l => (double)l).ToArray()), 0.8 * lengthSd, 1.2 * lengthSd);
        double lengthSem = lengthSd / Math.Sqrt(2000);
        output.WriteLine(
            $"{id}: return {s.ReturnMean:F3} (ref {returnMean}), length {s.LengthMean:F1} (ref {lengthMean}), {episodes} episodes");
        // Both means are estimates: compare with the standard error of their difference.
        Assert.InRange(s.ReturnMean - returnMean, -3 * Hypot(returnSem, s.ReturnSem), 3 * Hypot(returnSem, s.ReturnSem));
        Assert.InRange(s.LengthMean - lengthMean, -3 * Hypot(lengthSem, s.LengthSem) - 1e-9, 3 * Hypot(lengthSem, s.LengthSem) + 1e-9);
    }

    // Scripted rows exercise rare rules over long episodes: brick refills, Freeway crossings and hit cycles.
    public static TheoryData<string, string, int, double, double, double, double> ScriptedRows => new()
    {
        { "MinAtar/Breakout-v0", "noop", 1000, 0.481, 0.011, 10.8, 5.0 },
        { "MinAtar/Breakout-v0", "follow", 1000, 8.178, 0.202, 96.0, 104.7 },
        { "MinAtar/Asterix-v0", "noop", 1000, 0.512, 0.019, 97.7, 60.6 },
        { "MinAtar/Freeway-v0", "up", 500, 17.451, 0.289, 2501, 0 },
    };

    [Theory]
    [MemberData(nameof(ScriptedRows))]
    public void ScriptedPolicyMatchesUpstreamWithinThreeStandardErrors(string id, string policy, int episodes, double returnMean,
        double returnSem, double lengthMean, double lengthSd)
    {
        Func<Random, MinAtarEnv, int> act = policy switch
        {
            "noop" => (_, _) => 0,
            "up" => (_, _) => 2,
            "follow" => FollowBall,
            _ => throw new ArgumentException(policy),
        };
        var s = Rollouts.Play(id, episodes, seed: 77, act);
        double lengthSem = lengthSd / Math.Sqrt(2000);
        output.WriteLine($"{id} {policy}: return {s.ReturnMean:F3} (ref {returnMean}), length {s.LengthMean:F1} (ref " +
            $"{lengthMean}), max length {s.MaxLength}");
        Assert.InRange(s.ReturnMean - returnMean, -3 * Hypot(returnSem, s.ReturnSem), 3 * Hypot(returnSem, s.ReturnSem));
        Assert.InRange(s.LengthMean - lengthMean, -3 * Hypot(lengthSem, s.LengthSem) - 1e-9, 3 * Hypot(lengthSem, s.LengthSem) + 1e-9);
    }

    /// <summary>Breakout: move the paddle toward the ball's column, judged on the current observation.</summary>
    private static int FollowBall(Random _, MinAtarEnv env)
    {
        Span<byte> obs = stackalloc byte[env.ObservationSize];
        env.WriteObservation(obs);
        int paddle = obs.Slice(90, 10).IndexOf((byte)1);
        int ball = obs.Slice(100, 100).IndexOf((byte)1) % 10;
        return ball < paddle ? 1 : ball > paddle ? 3 : 0;
    }

    private static double Sd(double[] xs) => Rollouts.Sem(xs) * Math.Sqrt(xs.Length);

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
        Assert.InRange(s.LengthMean, 133.9 - 3 * Hypot(60.8 / Math.Sqrt(2000), s.LengthSem),
            133.9 + 3 * Hypot(60.8 / Math.Sqrt(2000), s.LengthSem));
    }

    [Fact]
    public void BreakoutShortestEpisodeIsSixSteps()
    {
        var s = Rollouts.Play("MinAtar/Breakout-v1", 300, seed: 9, (_, _) => 0);
        Assert.Equal(6, s.MinLength);
        Assert.InRange(s.MaxLength, 6, 16);
    }
}
