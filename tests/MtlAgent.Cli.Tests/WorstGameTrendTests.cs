using MtlAgent.Cli.Reports;

namespace MtlAgent.Cli.Tests;

/// <summary>The report's headline: which game is worst now, and which way its score went over the last rows.</summary>
public sealed class WorstGameTrendTests
{
    private const string Breakout = "MinAtar/Breakout-v0", Asterix = "MinAtar/Asterix-v0";

    [Fact]
    public void TheTrend_FollowsTheWorstGameOfTheLastRow_OverItsLastTenRows()
    {
        // Asterix rises by 0.01 a row for 15 rows, ending worst; the fit sees only the last 10 (a change of 0.09).
        var rows = Enumerable.Range(0, 15).Select(i => Row(i * 100, breakout: 0.5, asterix: 0.01 * i)).ToList();
        var trend = WorstGameTrend.Of(rows)!;
        Assert.Equal(Asterix, trend.Env);
        Assert.Equal(0.14, trend.Score, 10);
        Assert.Equal(0.09, trend.Change!.Value, 10);
        Assert.Equal(10, trend.Rows);
        Assert.Equal("up", trend.Direction);
        Assert.Equal("worst game now: Asterix-v0, score 0.14, trend up (+0.09) over the last 10 rows", trend.Headline());
    }

    [Fact]
    public void OneNoisyRow_DoesNotTurnAFallingScoreUp()
    {
        double[] scores = [0.40, 0.38, 0.36, 0.34, 0.32, 0.30, 0.28, 0.26, 0.24, 0.27];
        var trend = WorstGameTrend.Of(scores.Select((s, i) => Row(i * 100, breakout: s, asterix: 0.9)).ToList())!;
        Assert.Equal(Breakout, trend.Env);
        Assert.Equal("down", trend.Direction);
    }

    [Fact]
    public void SmallChangesAreFlat_AndAScoreOfMinusZeroReadsZero()
    {
        var trend = WorstGameTrend.Of([Row(100, -0.001, 0.5), Row(200, -0.004, 0.5)])!;
        Assert.Equal("flat", trend.Direction);
        Assert.Equal("worst game now: Breakout-v0, score 0.00, trend flat (0.00) over the last 2 rows", trend.Headline());
    }

    [Fact]
    public void BeforeAnyScore_ThereIsNoTrend_AndWithOneRowItsDirectionIsUnknown()
    {
        Assert.Null(WorstGameTrend.Of([]));
        Assert.Null(WorstGameTrend.Of([new TrainRow(100, 0, 1, 100, null, null, null, null, [])]));
        Assert.Equal("unknown", WorstGameTrend.Of([Row(100, 0.2, 0.3)])!.Direction);
    }

    private static TrainRow Row(long frames, double breakout, double asterix)
    {
        var worst = breakout <= asterix ? (Breakout, breakout) : (Asterix, asterix);
        return new TrainRow(frames, frames, frames / 100.0, 100, worst.Item1, worst.Item2, null, null,
            [Game(Breakout, breakout), Game(Asterix, asterix)]);
    }

    private static GameRow Game(string env, double score) => new(env, 10, null, score, null, null, null, false, false);
}
