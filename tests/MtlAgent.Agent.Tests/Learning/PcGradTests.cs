using MtlAgent.Agent.Learning;
using MtlAgent.Agent.Tests.Support;

namespace MtlAgent.Agent.Tests.Learning;

/// <summary><c>learner.gradient_surgery: pcgrad</c>: the projection done on coefficients is the paper's, done on vectors.</summary>
public class PcGradTests
{
    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    // Yu et al. (2020), Algorithm 1, on explicit vectors, the other games met in the order Combine documents.
    private static double[] Direct(double[][] g, double[] c, long update)
    {
        int k = g.Length;
        var sum = new double[g[0].Length];
        for (int i = 0; i < k; i++)
        {
            var gi = (double[])g[i].Clone();
            for (int step = 0; step < k; step++)
            {
                int j = (int)((update + step) % k);
                if (j == i || Dot(g[j], g[j]) == 0) continue;
                double dot = Dot(gi, g[j]);
                if (dot < 0) gi = gi.Zip(g[j], (a, b) => a - dot / Dot(g[j], g[j]) * b).ToArray();
            }
            for (int n = 0; n < sum.Length; n++) sum[n] += c[i] * gi[n];
        }
        return sum;
    }

    private static double[] Gram(double[][] g) =>
        g.SelectMany(a => g.Select(b => Dot(a, b))).ToArray();

    private static double[] Apply(double[] combined, double[][] g) =>
        Enumerable.Range(0, g[0].Length).Select(n => combined.Select((b, k) => b * g[k][n]).Sum()).ToArray();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public void Combine_IsAlgorithm1_ForEveryRotation(long update)
    {
        double[][] g = [[1, 0.5, -2, 0], [-1, 0.2, 1, 1], [0.3, -1, 0.4, -0.5]];   // pairs (0,1) and (1,2) conflict
        double[] c = [0.5, 1.0 / 6, 1.0 / 3];
        var (combined, projections) = PcGrad.Combine(Gram(g), c, update);
        Assert.Equal(Direct(g, c, update), Apply(combined, g), new DoubleTolerance(1e-12));
        Assert.InRange(projections, 2, 6);
    }

    [Fact]
    public void Combine_OrderMatters_WhichTheUpdateNumberRotates()
    {
        double[][] g = [[1, 0.5, -2, 0], [-1, 0.2, 1, 1], [0.3, -1, 0.4, -0.5]];
        double[] c = [1, 1, 1];
        Assert.NotEqual(Apply(PcGrad.Combine(Gram(g), c, 0).Combined, g), Apply(PcGrad.Combine(Gram(g), c, 1).Combined, g),
            new DoubleTolerance(1e-9));
        Assert.Equal(PcGrad.Combine(Gram(g), c, 1).Combined, PcGrad.Combine(Gram(g), c, 4).Combined);
    }

    [Fact]
    public void Combine_WithoutConflicts_OrWithAZeroGradient_IsThePlainWeightedSum()
    {
        double[][] agreeing = [[1, 0, 1], [0.5, 2, 0], [0, 0, 0]];
        var (combined, projections) = PcGrad.Combine(Gram(agreeing), [0.2, 0.3, 0.5], 5);
        Assert.Equal([0.2, 0.3, 0.5], combined);
        Assert.Equal(0, projections);
    }

    [Fact]
    public void Combine_TwoConflictingGames_TheStepLowersBothLosses()
    {
        double[][] g = [[1, 0.1], [-2, 0.5]];
        var step = Apply(PcGrad.Combine(Gram(g), [0.5, 0.5], 0).Combined, g);
        Assert.True(Dot(step, g[0]) > 0 && Dot(step, g[1]) > 0);
        var plain = g[0].Zip(g[1], (a, b) => (a + b) / 2).ToArray();
        Assert.True(Dot(plain, g[0]) < 0);                    // the plain mean raises game 0's loss to first order
    }
}
