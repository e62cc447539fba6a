using static MtlAgent.Torch.torch;
using F = MtlAgent.Torch.torch.nn.functional;

namespace MtlAgent.Torch.Tests;

/// <summary>Autograd gradients against central finite differences, in float64.</summary>
public class GradientTests
{
    /// <summary>Checks d f(inputs) / d inputs[k] for every element against (f(x+h) - f(x-h)) / 2h.</summary>
    static void CheckGradients(Tensor[] inputs, Func<Tensor[], Tensor> f, double h = 1e-6, double tol = 1e-6)
    {
        foreach (var x in inputs) x.requires_grad_();
        using (var scope = NewDisposeScope())
            f(inputs).backward();
        foreach (var x in inputs)
        {
            using var g = x.grad!;
            var analytic = g.data<double>().ToArray();
            var values = x.data<double>().ToArray();
            var numeric = new double[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                var v = values[i];
                values[i] = v + h;
                var plus = Evaluate(x, values, inputs, f);
                values[i] = v - h;
                var minus = Evaluate(x, values, inputs, f);
                values[i] = v;
                numeric[i] = (plus - minus) / (2 * h);
            }
            x.copy_from<double>(values);
            Approx.Equal(numeric, analytic, tol);
        }
    }

    static double Evaluate(Tensor x, double[] values, Tensor[] inputs, Func<Tensor[], Tensor> f)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        x.copy_from<double>(values);
        return f(inputs).item<double>();
    }

    [Fact]
    public void Conv2d_gradients_match_finite_differences()
    {
        manual_seed(1);
        using var x = randn([2, 2, 5, 5], float64);
        using var w = randn([3, 2, 3, 3], float64);
        using var b = randn([3], float64);
        using var r = randn([2, 3, 3, 3], float64); // weights the outputs so every gradient differs
        CheckGradients([x, w, b], t => (F.conv2d(t[0], t[1], t[2], stride: 2, padding: 1) * r).sum());
    }

    [Fact]
    public void Linear_gradients_match_finite_differences()
    {
        manual_seed(2);
        using var x = randn([4, 5], float64);
        using var w = randn([3, 5], float64);
        using var b = randn([3], float64);
        using var r = randn([4, 3], float64);
        CheckGradients([x, w, b], t => (F.linear(t[0], t[1], t[2]) * r).sum());
    }

    [Fact]
    public void Smooth_l1_gradients_match_finite_differences()
    {
        // Differences on both sides of beta, none within h of the kink.
        using var input = tensor(new double[] { -2.0, -0.69, -0.3, 0.1, 0.45, 0.71, 1.5, 3.0 });
        using var target = tensor(new double[] { 0.0, 0.0, 0.1, -0.2, 0.0, 0.0, 0.2, -1.0 });
        CheckGradients([input], t => F.smooth_l1_loss(t[0], target, beta: 0.7));
        using var input2 = tensor(new double[] { -2.0, 0.3, 0.9, 4.0 });
        CheckGradients([input2], t => F.smooth_l1_loss(t[0], target.narrow(0, 0, 4), nn.Reduction.Sum));
    }

    [Fact]
    public void Network_gradients_flow_to_every_parameter()
    {
        manual_seed(3);
        using var net = nn.Sequential(nn.Conv2d(2, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(36, 3));
        net.to(float64);
        using var scope = NewDisposeScope();
        var loss = F.mse_loss(net.forward(randn([5, 2, 5, 5], float64)), zeros([5, 3], float64));
        loss.backward();
        foreach (var (name, p) in net.named_parameters())
        {
            var g = p.grad;
            Assert.NotNull(g);
            Assert.Equal(p.shape, g!.shape);
            Assert.True(g.abs().sum().item<double>() > 0, $"{name} got a zero gradient");
        }
    }
}
