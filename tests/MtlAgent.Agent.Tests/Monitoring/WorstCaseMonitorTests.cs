using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Monitoring;

namespace MtlAgent.Agent.Tests.Monitoring;

public class WorstCaseMonitorTests
{
    [Fact]
    public void MonitorScoresWorstMedianRegressionAndStall()
    {
        string[] games = ["MinAtar/Breakout-v0", "MinAtar/Freeway-v1", "MinAtar/SpaceInvaders-v0"];
        var m = new WorstCaseMonitor(games, new MonitorConfig { ReturnWindow = 4, RegressionDrop = 0.2, StallFrames = 1000 });
        Assert.Equal((null, null, null, null), m.Summary());
        m.SetFrames(100);
        m.RecordEpisode(0, 10);               // Breakout v0: (10 - 0.532) / (10 - 0.532) = 1
        m.RecordEpisode(1, 0.404);            // Freeway v1 uses the minimal-set random anchor: 0
        m.RecordEpisode(2, 2.776 + 41.224 / 2); // 0.5
        Assert.Equal(1.0, m.Score(0)!.Value, 9);
        Assert.Equal(0.0, m.Score(1)!.Value, 9);
        var (worst, worstScore, median, mean) = m.Summary();
        Assert.Equal("MinAtar/Freeway-v1", worst);
        Assert.Equal(0.0, worstScore!.Value, 9);
        Assert.Equal(0.5, median!.Value, 9);
        Assert.Equal(0.5, mean!.Value, 9);
        for (int i = 0; i < 4; i++) { m.SetFrames(200 + i); m.RecordEpisode(0, 0.532); } // Breakout falls to 0
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

    [Fact]
    public void TheBestIsTrackedOnlyOnceAQuarterOfTheWindowIsFilled()
    {
        // Window 8: a best is set from the second episode on (8 / 4); one lucky first episode does not count.
        var m = new WorstCaseMonitor(["MinAtar/Breakout-v0"],
            new MonitorConfig { ReturnWindow = 8, RegressionDrop = 0.2, StallFrames = 100 });
        m.SetFrames(10);
        m.RecordEpisode(0, 20);                         // score about 2.05, but one episode only: no best yet
        Assert.Null(m.GetState()[0].BestScore);
        m.SetFrames(20);
        m.RecordEpisode(0, 0.532);                      // mean 10.266: score (10.266 - 0.532) / (10 - 0.532), now the best, at frame 20
        Assert.Equal(9.734 / 9.468, m.GetState()[0].BestScore!.Value, 6);
        Assert.Equal(20, m.GetState()[0].BestFrame);
        m.SetFrames(119);
        Assert.False(m.Standing(0).Stalled);            // 99 frames since the best
        m.SetFrames(120);
        Assert.True(m.Standing(0).Stalled);
    }
}
