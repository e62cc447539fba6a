using System.Text.Json;
using MtlAgent.Agent.Studies;
using MtlAgent.Agent.Tests.Support;

namespace MtlAgent.Agent.Tests.Studies;

/// <summary>The compare maths on synthetic runs whose answers are known.</summary>
public class TransferComparisonTests
{
    private const string Breakout = "MinAtar/Breakout-v0", Freeway = "MinAtar/Freeway-v0";
    private const double RandomBreakout = 0.532, RandomFreeway = 0.129;

    // A run directory with a metrics.jsonl of training rows: frames -> returns per game (null: no episode yet).
    private static string Run(TempDir dir, string name, IReadOnlyList<string> games, params (long Frames, double?[] Returns)[] rows)
    {
        var path = dir.Sub(name);
        var lines = rows.Select(r => JsonSerializer.Serialize(new
        {
            kind = "train",
            frames_per_game = r.Frames,
            games = games.Select((g, i) => new { env = g, @return = r.Returns[i] }),
        }));
        File.WriteAllLines(Path.Combine(path, "metrics.jsonl"), lines);
        return path;
    }

    private static IReadOnlyDictionary<int, IReadOnlyList<CurvePoint>> Seeds(params (int Seed, string Run, string Game)[] runs) =>
        runs.ToDictionary(r => r.Seed, r => LearningCurves.Read(r.Run).Games[r.Game]);

    [Fact]
    public void RatioDeltaAreasAndVerdictsFollowTheirDefinitions()
    {
        using var dir = new TempDir();
        string[] games = [Breakout, Freeway];
        // Two seeds. Breakout: multi 2.532 and 2.932 (mean 2.732), single 4.532 and 4.932 (mean 4.732): r = 2.2/4.2.
        // Freeway: multi 20 and 22, single 10 and 12: far above, positive.
        var m0 = Run(dir, "m0", games, (100, [null, 1.0]), (200, [1.532, 11.0]), (300, [2.532, 20.0]));
        var m1 = Run(dir, "m1", games, (100, [0.532, 1.0]), (200, [1.932, 12.0]), (300, [2.932, 22.0]));
        var b0 = Run(dir, "b0", [Breakout], (100, [1.0]), (200, [2.0]), (300, [4.532]));
        var b1 = Run(dir, "b1", [Breakout], (100, [1.0]), (200, [2.0]), (300, [4.932]));
        var f0 = Run(dir, "f0", [Freeway], (100, [1.0]), (200, [5.0]), (300, [10.0]));
        var f1 = Run(dir, "f1", [Freeway], (100, [1.0]), (200, [5.0]), (300, [12.0]));
        var multi = new Dictionary<int, LearningCurves> { [0] = LearningCurves.Read(m0), [1] = LearningCurves.Read(m1) };
        var single = new Dictionary<string, IReadOnlyDictionary<int, IReadOnlyList<CurvePoint>>>
        {
            [Breakout] = Seeds((0, b0, Breakout), (1, b1, Breakout)),
            [Freeway] = Seeds((0, f0, Freeway), (1, f1, Freeway)),
        };
        var c = TransferComparison.Compare(games, multi, single);

        var breakout = c.Games[0];
        Assert.Equal(300, breakout.Frames);
        Assert.Equal(2, breakout.Seeds);
        Assert.Equal(2.732, breakout.MultiReturn, 9);
        Assert.Equal(0.2, breakout.MultiSem!.Value, 9);            // sd 0.2828 / sqrt 2
        Assert.Equal(4.732, breakout.SingleReturn, 9);
        Assert.Equal((2.732 - RandomBreakout) / (4.732 - RandomBreakout), breakout.Ratio!.Value, 9);
        Assert.Equal(100 * (2.732 - 4.732) / 4.732, breakout.DeltaPercent!.Value, 9);
        Assert.Equal(TransferVerdict.Negative, breakout.Verdict);   // -2 against 2 * sqrt(0.2² + 0.2²) = 0.57
        // The area runs over the marks every run of the game reached (200 and 300: seed 0's first row has no return):
        // multi seed 0 (1.532 + 2.532) / 2, seed 1 (1.932 + 2.932) / 2.
        Assert.Equal(((1.532 + 2.532) / 2 + (1.932 + 2.932) / 2) / 2, breakout.MultiArea, 9);

        var freeway = c.Games[1];
        Assert.Equal(TransferVerdict.Positive, freeway.Verdict);
        Assert.Equal((21 - RandomFreeway) / (11 - RandomFreeway), freeway.Ratio!.Value, 9);

        Assert.Equal(Breakout, c.WorstGame);
        Assert.Equal(breakout.Ratio, c.WorstRatio);
        Assert.Equal(2 / (1 / breakout.Ratio!.Value + 1 / 1.0), c.HarmonicMeanRatio!.Value, 9); // Freeway's r is capped at 1
        Assert.Equal(1, c.GamesBelow08);
        Assert.Equal((breakout.DeltaPercent!.Value + freeway.DeltaPercent!.Value) / 2, c.DeltaP!.Value, 9);
        Assert.Null(c.Affinity);
    }

    [Fact]
    public void OneSeedIsUndecided_AndABaselineAtRandomHasNoRatio()
    {
        using var dir = new TempDir();
        var m = Run(dir, "m", [Breakout, Freeway], (100, [3.0, 0.129]));
        var b = Run(dir, "b", [Breakout], (100, [2.0]));
        var f = Run(dir, "f", [Freeway], (100, [0.129]));
        var c = TransferComparison.Compare([Breakout, Freeway], new Dictionary<int, LearningCurves> { [4] = LearningCurves.Read(m) },
            new Dictionary<string, IReadOnlyDictionary<int, IReadOnlyList<CurvePoint>>>
            {
                [Breakout] = Seeds((4, b, Breakout)), [Freeway] = Seeds((4, f, Freeway)),
            });
        Assert.All(c.Games, g => Assert.Equal(TransferVerdict.Undecided, g.Verdict));
        Assert.Null(c.Games[0].MultiSem);
        Assert.Null(c.Games[1].Ratio);                              // single-game return at random: r undefined
        Assert.Equal(0, c.HarmonicMeanRatio);                       // an undefined ratio counts as 0
        Assert.Equal(1, c.GamesBelow08);
    }

    [Fact]
    public void GradientRowsAverageIntoATaskAffinityMatrix()
    {
        string[] games = [Breakout, Freeway];
        JsonElement Row(double cos) => JsonDocument.Parse(JsonSerializer.Serialize(new
        {
            kind = "gradients", games, cosines = new[] { new[] { 1.0, cos }, new[] { cos, 1.0 } },
        })).RootElement;
        var a = TaskAffinity.Average(games, [Row(0.5), Row(-0.3)])!;
        Assert.Equal(2, a.Rows);
        Assert.Equal(0.1, a.MeanCosine[0][1], 12);
        Assert.Equal(0.5, a.ConflictShare[1][0], 12);
        Assert.Equal(1, a.MeanCosine[0][0], 12);
    }

    [Fact]
    public void JudgementNeedsTwoStandardErrors()
    {
        Assert.Equal(TransferVerdict.Neutral, TransferComparison.Judge(1.0, 0.3, 1.5, 0.1));    // 0.5 < 2 * 0.316
        Assert.Equal(TransferVerdict.Negative, TransferComparison.Judge(1.0, 0.1, 1.5, 0.1));   // 0.5 > 2 * 0.141
        Assert.Equal(TransferVerdict.Undecided, TransferComparison.Judge(1.0, null, 1.5, 0.1));
        Assert.Equal(0.4, TransferComparison.HarmonicMean([0.25, 1.0]), 12);   // 2 / (4 + 1)
        Assert.Equal(0, TransferComparison.HarmonicMean([0.5, 0.0]));
    }
}
