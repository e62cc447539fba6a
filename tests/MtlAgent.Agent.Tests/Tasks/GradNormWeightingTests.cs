using MtlAgent.Agent.Tasks;
using MtlAgent.Agent.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace MtlAgent.Agent.Tests.Tasks;

public class GradNormWeightingTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>Two regression losses through one shared linear layer W, the second's scaled by 100.</summary>
    private static Tensor[] Losses(Tensor w, Tensor x, Tensor y) =>
        [mse_loss(x.matmul(w.t()), y), 100 * mse_loss(x.matmul(w.t()), -y)];

    [Fact]
    public void TheClosedFormWeightGradientIsAutogradsSecondOrderOne()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var w_shared = randn(4, 5, float64).requires_grad_();
        var x = randn(16, 5, float64);
        var y = randn(16, 4, float64);
        var weights = tensor(new[] { 0.7, 1.3 }, float64).requires_grad_();
        double[] ratios = [1.2, 0.6];
        const double alpha = 1.5;
        var losses = Losses(w_shared, x, y);
        // The paper's way: G_i = ||grad_W (w_i L_i)|| with create_graph, the targets held constant, L_grad differentiated by w.
        var g = stack(losses.Select((l, i) =>
            torch.autograd.grad([weights[i] * l], [w_shared], retain_graph: true, create_graph: true)[0].norm()).ToArray());
        var r = tensor(ratios, float64);
        var target = (g.mean() * (r / r.mean()).pow(alpha)).detach();
        var l_grad = (g - target).abs().sum();
        var expected = torch.autograd.grad([l_grad], [weights])[0].data<double>().ToArray();

        var norms = losses.Select(l => torch.autograd.grad([l], [w_shared], retain_graph: true)[0].norm().item<double>()).ToArray();
        var got = GradNormWeighting.WeightGradient([0.7, 1.3], norms, ratios, alpha);
        Assert.Equal(expected, got, new DoubleTolerance(1e-9));
        Assert.NotEqual(0, got[0]);
    }

    [Fact]
    public void GradNormBringsA100xGradientGapToWithin2x()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var w_shared = randn(4, 5).requires_grad_();
        var gradnorm = new GradNormWeighting(2, alpha: 1.5, learningRate: 0.005);
        double WeightedNormRatio(double[] norms) => gradnorm.Weights[1] * norms[1] / (gradnorm.Weights[0] * norms[0]);
        double first = 0, last = 0;
        for (int step = 0; step < 1500; step++)
        {
            using var inner = NewDisposeScope();
            var x = randn(16, 5);
            var losses = Losses(w_shared, x, randn(16, 4));
            var norms = losses.Select(l => torch.autograd.grad([l], [w_shared], retain_graph: true)[0].norm().item<float>())
                .Select(n => (double)n).ToArray();
            if (step == 0) first = WeightedNormRatio(norms);
            last = WeightedNormRatio(norms);
            gradnorm.Step([0, 1], losses.Select(l => (double)l.item<float>()).ToArray(), norms);
            Assert.Equal(2.0, gradnorm.Weights.Sum(), 9);                    // renormalised to mean 1
        }
        output.WriteLine($"G_2 / G_1: {first:G4} at the start, {last:G4} after; weights {string.Join(", ", gradnorm.Weights)}");
        Assert.InRange(first, 30, 300);
        Assert.InRange(last, 0.5, 2);
        Assert.True(gradnorm.Weights[0] > gradnorm.Weights[1]);
    }

    [Fact]
    public void TheSlowerGameGetsTheLargerTargetNorm_AndWeightsStayPositive()
    {
        // Equal gradient norms; game 1's loss fell to half its start, game 0's not at all: game 0 is behind, so with
        // alpha > 0 its target norm is the larger and its weight's gradient is negative (it grows), game 1's positive.
        var g = GradNormWeighting.WeightGradient([1.0, 1.0], [2.0, 2.0], [1.0, 0.5], alpha: 1.5);
        Assert.Equal([-2.0, 2.0], g);
        Assert.Equal([0.0, 0.0], GradNormWeighting.WeightGradient([1.0, 1.0], [2.0, 2.0], [1.0, 0.5], alpha: 0)
            .Select(Math.Abs));                                                  // alpha 0: equal norms are the target
        double[] w = [-0.5, 1.0, 3.0];
        GradNormWeighting.Renormalize(w);
        Assert.True(w[0] > 0);
        Assert.Equal(3.0, w.Sum(), 12);
    }

    [Fact]
    public void StateRoundTrips()
    {
        var a = new GradNormWeighting(2, 1.5, 0.01);
        a.Step([0, 1], [0.5, 2.0], [1.0, 3.0]);
        a.Step([0, 1], [0.4, 1.0], [1.0, 2.0]);
        var b = new GradNormWeighting(2, 1.5, 0.01);
        b.SetState(a.GetState());
        a.Step([0, 1], [0.3, 1.5], [1.0, 2.5]);
        b.Step([0, 1], [0.3, 1.5], [1.0, 2.5]);
        Assert.Equal(a.Weights, b.Weights);
        Assert.Equal([0.5, 2.0], b.InitialLosses);
        Assert.Throws<ArgumentException>(() => new GradNormWeighting(3, 1.5, 0.01).SetState(a.GetState()));
    }
}
