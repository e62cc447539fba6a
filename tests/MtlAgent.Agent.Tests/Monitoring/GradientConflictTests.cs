using MtlAgent.Agent.Monitoring;
using MtlAgent.Agent.Runs;
using MtlAgent.Agent.Studies;

namespace MtlAgent.Agent.Tests.Monitoring;

public class GradientConflictTests
{
    // g0 = (1, 0), g1 = (0, 2), g2 = (-1, 0); the update changed the trunk by d = (0.5, 0.5).
    private static readonly double[] Gram = [1, 0, -1, /**/ 0, 4, 0, /**/ -1, 0, 1];
    private static readonly double[] GradientDotChange = [0.5, 1, -0.5];
    private static readonly string[] Games = ["a", "b", "c"];

    [Fact]
    public void NormsCosinesConflictsAndTheLeastHelpedGameFollowFromTheGramMatrix()
    {
        var g = GradientConflict.From(7, Games, Gram, GradientDotChange);
        Assert.Equal([1.0, 2.0, 1.0], g.Norms);
        Assert.Equal([1.0, 0, -1], g.Cosines[0]);
        Assert.Equal([0.0, 1, 0], g.Cosines[1]);
        Assert.Equal(1.0 / 3, g.ConflictShare, 12);               // of the pairs ab, ac, bc only ac conflicts
        Assert.Equal((0, 2, -1.0), g.MostConflicting);
        Assert.Equal([-0.5, -1, 0.5], g.LossDecreases);           // first order: the update raised a's and b's losses
        Assert.Equal((1, -1.0), g.Worst);
    }

    [Fact]
    public void AZeroGradientHasCosineZeroWithTheOthers()
    {
        var g = GradientConflict.From(1, ["a", "b"], [0, 0, 0, 1], [0, 0]);
        Assert.Equal(0, g.Cosines[0][1]);
        Assert.Equal(0, g.ConflictShare);
    }

    [Fact]
    public void MetricsRowsCarryTheFigures_AndAveragesIntoTheAffinityMatrix()
    {
        var first = GradientConflict.From(1000, Games, Gram, GradientDotChange);
        var second = GradientConflict.From(2000, Games, [1, 1, 1, 1, 1, 1, 1, 1, 1], [0, 0, 0]);
        var rows = new[] { MetricsLog.GradientRow(first, 4000, 1.5), MetricsLog.GradientRow(second, 8000, 3) }
            .Select(r => System.Text.Json.JsonDocument.Parse(r).RootElement.Clone()).ToList();
        var row = rows[0];
        Assert.Equal("gradients", row.GetProperty("kind").GetString());
        Assert.Equal(4000, row.GetProperty("frames_per_game").GetInt64());
        Assert.Equal(1000, row.GetProperty("updates").GetInt64());
        Assert.Equal(1.0 / 3, row.GetProperty("conflict_share").GetDouble(), 12);
        Assert.Equal(["a", "c"], row.GetProperty("most_conflicting").GetProperty("games").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("b", row.GetProperty("worst_loss_decrease").GetProperty("env").GetString());
        Assert.Equal([1.0, 2, 1], row.GetProperty("norms").EnumerateArray().Select(e => e.GetDouble()));

        var affinity = TaskAffinity.Average(Games, rows)!;
        Assert.Equal(2, affinity.Rows);
        Assert.Equal(0.0, affinity.MeanCosine[0][2], 12);         // -1 then 1
        Assert.Equal(0.5, affinity.ConflictShare[0][2], 12);
        Assert.Equal(0.5, affinity.MeanCosine[0][1], 12);
    }
}
