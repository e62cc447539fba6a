using MtlAgent.Agent.Engine;
using MtlAgent.Agent.Learning;
using MtlAgent.Agent.Tests.Engine;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Tests.Learning;

/// <summary>
/// <see cref="OptimizerRegime"/>: the root it reports is what the next step divides the gradient by (less eps), and its
/// quantiles and shares are those of each parameter tensor's coordinates.
/// </summary>
public class OptimizerRegimeTests
{
    private static void Train(FlatParameters parameters, IFlatOptimizer optimizer, TorchSharp.Modules.Sequential net,
        MinAtarNet.Sample[] samples)
    {
        foreach (var sample in samples)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            MinAtarNet.Loss(net, sample).backward();
            optimizer.step();
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Rmsprop_steps_by_the_gradient_over_the_reported_root_plus_eps(bool centered)
    {
        using var net = MinAtarNet.Create(seed: 5);
        var samples = MinAtarNet.Samples(4, seed: 6);
        using var parameters = new FlatParameters(net);
        using var rms = new FlatRmsProp(parameters, lr: 2.5e-4, alpha: 0.95, eps: 0.01, centered: centered);
        Train(parameters, rms, net, samples[..3]);

        using var scope = NewDisposeScope();
        rms.zero_grad();
        MinAtarNet.Loss(net, samples[3]).backward();
        var before = parameters.data.clone();
        var grad = parameters.grad.clone();
        rms.step();
        // After the step the state holds this step's statistics: the step was -lr * g / (root + eps).
        var expected = before - grad.div(rms.RootMeanSquare().add(0.01)).mul(2.5e-4);
        Assert.True(parameters.data.allclose(expected, rtol: 1e-5, atol: 1e-9));
    }

    [Fact]
    public void Adam_steps_by_the_first_moment_over_the_reported_root_plus_eps()
    {
        using var net = MinAtarNet.Create(seed: 5);
        var samples = MinAtarNet.Samples(4, seed: 6);
        using var parameters = new FlatParameters(net);
        using var adam = new FlatAdam(parameters, lr: 1e-3, eps: 3.125e-4);
        using (var zero = adam.RootMeanSquare()) Assert.Equal(0, zero.abs().max().item<float>());   // no step yet
        Train(parameters, adam, net, samples[..3]);

        using var scope = NewDisposeScope();
        adam.zero_grad();
        MinAtarNet.Loss(net, samples[3]).backward();
        var before = parameters.data.clone();
        adam.step();
        var exp_avg = adam.NamedState().Single(s => s.Name == "exp_avg").Tensor;
        double stepSize = 1e-3 / (1 - Math.Pow(0.9, 4));
        var expected = before - exp_avg.div(adam.RootMeanSquare().add(3.125e-4)).mul(stepSize);
        Assert.True(parameters.data.allclose(expected, rtol: 1e-5, atol: 1e-9));
    }

    [Fact]
    public void Quantiles_and_shares_are_those_of_each_tensors_coordinates()
    {
        // MinAtarNet: conv weight, conv bias, fc weight, fc bias, head weight, head bias, in this order.
        using var net = MinAtarNet.Create(seed: 1);
        using var parameters = new FlatParameters(net);
        using var rms = new FlatRmsProp(parameters, lr: 2.5e-4, alpha: 0.95, eps: 0.01, centered: true);
        long n = parameters.Count;
        // Coordinate i of the conv weight has root (i + 0.5) * 1e-4 (1440 of them: 5e-5 .. 0.144); every other root is 0.02.
        long convWeight = parameters.Shapes[0].Aggregate(1L, (a, b) => a * b);
        var roots = Enumerable.Range(0, (int)n).Select(i => i < convWeight ? (i + 0.5f) * 1e-4f : 0.02f).ToArray();
        // centered: root^2 = square_avg - grad_avg^2, with grad_avg = 0.001 everywhere.
        var state = new Dictionary<string, Tensor>
        {
            ["square_avg"] = tensor(roots.Select(r => r * r + 1e-6f).ToArray()),
            ["grad_avg"] = full(n, 0.001f),
            ["step"] = tensor(7L),
        };
        rms.LoadState(state);

        var regime = OptimizerRegime.Of(rms, parameters);
        Assert.Equal("RMSprop (centered)", regime.Kind);
        Assert.Equal(0.01, regime.Eps);
        Assert.Equal(parameters.Names, regime.Tensors.Select(t => t.Tensor));
        Assert.All(regime.Tensors, t => Assert.Equal("all games", t.Optimizer));
        var conv = regime.Tensors[0];
        Assert.Equal(convWeight, conv.Count);
        Assert.Equal((convWeight / 2 + 0.5) * 1e-4, conv.MedianRoot, 1e-6);
        Assert.Equal(((long)(0.9 * convWeight) + 0.5) * 1e-4, conv.P90Root, 1e-6);
        Assert.Equal((convWeight - 100) / (double)convWeight, conv.ShareAboveEps, 1e-9);   // 5e-5 .. 0.00995 are not above 0.01
        Assert.All(regime.Tensors.Skip(1), t => Assert.Equal(1.0, t.ShareAboveEps));
        Assert.Equal((n - 100) / (double)n, regime.ShareAboveEps, 1e-9);
    }

    [Fact]
    public void One_state_per_game_is_reported_game_by_game()
    {
        using var net = MinAtarNet.Create(seed: 1);
        using var parameters = new FlatParameters(net);
        using var perGame = new PerGameOptimizer(Enumerable.Range(0, 2)
            .Select(_ => (IFlatOptimizer)new FlatRmsProp(parameters, lr: 2.5e-4, alpha: 0.95, eps: 0.01, centered: true)).ToArray());
        perGame.Use(1);
        Train(parameters, perGame, net, MinAtarNet.Samples(2, seed: 2));

        var regime = OptimizerRegime.Of(perGame, parameters);
        Assert.Equal(2 * parameters.Names.Count, regime.Tensors.Count);
        Assert.Equal(["game0", "game1"], regime.Tensors.Select(t => t.Optimizer).Distinct());
        Assert.All(regime.Tensors.Where(t => t.Optimizer == "game0"), t => Assert.Equal(0, t.P90Root));   // game 0 never stepped
        Assert.Contains(regime.Tensors, t => t.Optimizer == "game1" && t.MedianRoot > 0);
    }

    [Fact]
    public void A_learning_rate_scale_multiplies_each_coordinates_step_and_ones_change_nothing()
    {
        using var net = MinAtarNet.Create(seed: 5);
        using var copy = MinAtarNet.CopyOf(net);
        using var third = MinAtarNet.CopyOf(net);
        var samples = MinAtarNet.Samples(3, seed: 6);
        using var plainParameters = new FlatParameters(net);
        using var onesParameters = new FlatParameters(copy);
        using var scaledParameters = new FlatParameters(third);
        long n = plainParameters.Count;
        using var unit = ones(n);
        using var scale = arange(n).remainder(3).add(1).to(float32);   // 1, 2, 3, 1, 2, 3, ...
        using var plain = new FlatRmsProp(plainParameters, lr: 2.5e-4, alpha: 0.95, eps: 0.01, centered: true);
        using var withOnes = new FlatRmsProp(onesParameters, lr: 2.5e-4, alpha: 0.95, eps: 0.01, centered: true, lrScale: unit);
        using var scaled = new FlatRmsProp(scaledParameters, lr: 2.5e-4, alpha: 0.95, eps: 0.01, centered: true, lrScale: scale);
        using var start = plainParameters.data.clone();
        Train(plainParameters, plain, net, samples[..1]);
        Train(onesParameters, withOnes, copy, samples[..1]);
        Train(scaledParameters, scaled, third, samples[..1]);
        Assert.Equal(plainParameters.data.data<float>().ToArray(), onesParameters.data.data<float>().ToArray());   // bitwise
        // One step from the same start and gradient: each coordinate moved by its scale times the plain step.
        using var plainStep = plainParameters.data - start;
        using var scaledStep = scaledParameters.data - start;
        Assert.True(scaledStep.allclose(plainStep * scale, rtol: 1e-4, atol: 1e-7));   // steps of about 1e-4 on weights of about 0.1
        Assert.Throws<ArgumentException>(() => { using var _ = new FlatRmsProp(plainParameters, lrScale: zeros(n)); });
        Assert.Throws<ArgumentException>(() => { using var _ = new FlatAdam(plainParameters, lrScale: ones(n + 1)); });
    }
}
