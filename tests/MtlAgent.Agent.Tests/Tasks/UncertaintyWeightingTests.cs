using MtlAgent.Agent.Randomness;
using MtlAgent.Agent.Tasks;

namespace MtlAgent.Agent.Tests.Tasks;

public class UncertaintyWeightingTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static double Gaussian(Xoshiro256 rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    [Fact]
    public void TheNoisierTaskLearnsTheLargerVariance_AndWeighsLess()
    {
        // Two regressions y = 2x + noise sharing one parameter a (noise sd 0.1 and 1), trained by SGD on
        // sum_i exp(-s_i) L_i with L_i the batch mean squared error; the s_i learn by the weighting's own Adam.
        var rng = new Xoshiro256(17);
        var uncertainty = new UncertaintyWeighting(2, learningRate: 0.02);
        double[] noise = [0.1, 1.0];
        double a = 0;
        for (int step = 0; step < 3000; step++)
        {
            var losses = new double[2];
            double gradient = 0;
            for (int task = 0; task < 2; task++)
            {
                for (int row = 0; row < 32; row++)
                {
                    double x = Gaussian(rng), y = 2 * x + noise[task] * Gaussian(rng), error = a * x - y;
                    losses[task] += error * error / 32;
                    gradient += uncertainty.Weights[task] * 2 * error * x / 32;
                }
            }
            a -= 0.002 * gradient;
            uncertainty.Step([0, 1], losses, null);
        }
        var s = uncertainty.LogVariances;
        output.WriteLine($"a {a:F4}, s {s[0]:F3} {s[1]:F3}, weights {uncertainty.Weights[0]:F3} {uncertainty.Weights[1]:F3}");
        Assert.InRange(a, 1.95, 2.05);
        Assert.True(s[1] > s[0] + 3, $"log-variances {s[0]} and {s[1]}");
        Assert.InRange(s[0], Math.Log(0.01) - 1, Math.Log(0.01) + 1);             // s -> log E[L] = log(noise variance)
        Assert.InRange(s[1], -1, 1);
        Assert.True(uncertainty.Weights[0] > uncertainty.Weights[1]);
    }

    [Fact]
    public void TheObjectivesGradientVanishesAtTheLogOfTheLoss_AndStateRoundTrips()
    {
        Assert.Equal(0, UncertaintyWeighting.Gradient(Math.Log(0.25), 0.25), 12);
        Assert.Equal(1 - 0.25, UncertaintyWeighting.Gradient(0, 0.25), 12);
        var a = new UncertaintyWeighting(2, 0.01);
        Assert.Equal([1.0, 1.0], a.Weights);
        a.Step([1], [double.NaN, 3.0], null);                                    // game 0 absent: unchanged
        Assert.Equal(1.0, a.Weights[0]);
        Assert.True(a.Weights[1] < 1);                                           // a loss above exp(s) raises s: the weight falls
        var b = new UncertaintyWeighting(2, 0.01);
        b.SetState(a.GetState());
        Assert.Equal(a.Weights, b.Weights);
        a.Step([0, 1], [0.5, 3.0], null);
        b.Step([0, 1], [0.5, 3.0], null);
        Assert.Equal(a.LogVariances, b.LogVariances);
    }
}
