using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Learning;
using MtlAgent.Agent.Monitoring;
using MtlAgent.Agent.Randomness;
using MtlAgent.Agent.Schedules;
using MtlAgent.Agent.Tasks;

namespace MtlAgent.Agent.Tests;

public class PureMathTests
{
    [Fact]
    public void EpsilonFollowsReferenceSchedule()
    {
        var c = new ExplorationConfig();
        Assert.Equal(1.0, EpsilonSchedule.Value(c, 0));
        Assert.Equal(1.0, EpsilonSchedule.Value(c, 4_999));
        Assert.Equal(1.0, EpsilonSchedule.Value(c, 5_000));
        Assert.Equal(0.55, EpsilonSchedule.Value(c, 55_000), 12);
        Assert.Equal(0.1, EpsilonSchedule.Value(c, 105_000), 12);
        Assert.Equal(0.1, EpsilonSchedule.Value(c, 5_000_000), 12);
    }

    [Fact]
    public void PopArtMomentUpdateFollowsFormula()
    {
        var (mu, nu) = PopArtMath.UpdateMoments(0, 1, 0.1, 5, 30);
        Assert.Equal(0.5, mu, 12);
        Assert.Equal(0.9 + 3, nu, 12);
        Assert.Equal(Math.Sqrt(3.9 - 0.25), PopArtMath.Sigma(mu, nu, 1e-4, 1e6), 12);
        Assert.Equal(1e-4, PopArtMath.Sigma(2, 4, 1e-4, 1e6)); // zero variance hits the floor
        Assert.Equal(1e6, PopArtMath.Sigma(0, 1e14, 1e-4, 1e6));
    }

    [Fact]
    public void PopArtStatisticsUpdateOncePerCallAndPreserveOutputs()
    {
        var stats = new PopArtStatistics(new PopArtConfig { Beta = 0.25 }, 2);
        double w = 0.7, b = -0.3, h = 1.9;
        double before = stats.Sigma(1) * (w * h + b) + stats.Mu(1);
        var (scale, shift) = stats.Update(1, 10, 150);
        Assert.Equal(2.5, stats.Mu(1), 12);
        Assert.Equal(0.75 + 37.5, stats.Nu(1), 12);
        Assert.Equal(0, stats.Mu(0));
        double after = stats.Sigma(1) * (scale * w * h + scale * b + shift) + stats.Mu(1);
        Assert.Equal(before, after, 12);
    }

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

    [Fact]
    public void WorstCaseWeightsFavourTheWeakestAndNeverVanish()
    {
        var w = TaskWeighting.WorstCase([0.1, 0.9, 1.5], 0.5);
        Assert.Equal(3.0, w.Sum(), 12);
        Assert.True(w[0] > w[1] && w[1] > w[2]);
        Assert.All(w, x => Assert.True(x >= TaskWeighting.UniformMix));
        Assert.Equal([1.0, 1.0], TaskWeighting.WorstCase([0.1, null], 0.5));
        Assert.Equal([1.0, 1.0, 1.0], TaskWeighting.Compute(new TaskConfig(), [0.1, 0.2, 3]));
        Assert.Contains("worst_case", Assert.Throws<ArgumentException>(() => TaskWeighting.Compute(new TaskConfig { Weighting = "worst" }, [1.0])).Message);
    }

    [Fact]
    public void SchedulerSplitsRowsEquallyOrByWeights()
    {
        string[] games = ["MinAtar/Breakout-v1", "MinAtar/Freeway-v1", "MinAtar/Asterix-v1"];
        var s = new RoundRobinScheduler(games, new ReplayConfig { BatchPerGame = 32 }, new TaskConfig());
        Assert.Equal([32, 32, 32], s.RowsPerGame);
        Assert.Equal([0, 32, 64], s.RowOffsets);
        var weighted = RoundRobinScheduler.RowShares(games, 32, new Dictionary<string, double> { ["MinAtar/Freeway-v1"] = 2 });
        Assert.Equal([24, 48, 24], weighted);
        Assert.Equal(96, RoundRobinScheduler.RowShares(games, 32, new Dictionary<string, double> { ["MinAtar/Breakout-v1"] = 1.3 }).Sum());
        Assert.Throws<ArgumentException>(() => RoundRobinScheduler.RowShares(games, 32, new Dictionary<string, double> { ["Pong"] = 1 }));
    }

    [Fact]
    public void MonitorScoresWorstMedianRegressionAndStall()
    {
        string[] games = ["MinAtar/Breakout-v0", "MinAtar/Freeway-v1", "MinAtar/SpaceInvaders-v0"];
        var m = new WorstCaseMonitor(games, new MonitorConfig { ReturnWindow = 4, RegressionDrop = 0.2, StallFrames = 1000 });
        Assert.Equal((null, null, null, null), m.Summary());
        m.RecordEpisode(0, 10, 100);          // Breakout v0: (10 - 0.532) / (10 - 0.532) = 1
        m.RecordEpisode(1, 0.404, 100);       // Freeway v1 uses the minimal-set random anchor: 0
        m.RecordEpisode(2, 2.776 + 41.224 / 2, 100); // 0.5
        Assert.Equal(1.0, m.Score(0)!.Value, 9);
        Assert.Equal(0.0, m.Score(1)!.Value, 9);
        var (worst, worstScore, median, mean) = m.Summary();
        Assert.Equal("MinAtar/Freeway-v1", worst);
        Assert.Equal(0.0, worstScore!.Value, 9);
        Assert.Equal(0.5, median!.Value, 9);
        Assert.Equal(0.5, mean!.Value, 9);
        for (int i = 0; i < 4; i++) m.RecordEpisode(0, 0.532, 200 + i); // Breakout falls to 0
        Assert.True(m.Standing(0).Regressing);
        Assert.False(m.Standing(0).Stalled);
        m.SetFrames(1100);
        Assert.True(m.Standing(0).Stalled);
        Assert.False(m.Standing(1).Regressing);
        var state = m.GetState();
        var copy = new WorstCaseMonitor(games, new MonitorConfig { ReturnWindow = 4, RegressionDrop = 0.2, StallFrames = 1000 });
        copy.SetState(state, 1100);
        Assert.Equal(m.Standing(0), copy.Standing(0));
        Assert.Null(ReferenceScores.For("MinAtar/Pong-v0"));
    }
}
