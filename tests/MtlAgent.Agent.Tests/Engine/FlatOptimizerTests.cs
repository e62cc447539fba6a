using MtlAgent.Agent.Engine;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Tests.Engine;

/// <summary>
/// The flat optimizers against PyTorch's op sequence (per parameter) and against TorchSharp's own optimizers, training
/// the MinAtar network on fixed batches; plus determinism and checkpoint state.
/// </summary>
public class FlatOptimizerTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Steps = 300;

    // The MinAtar reference's RMSprop, Dopamine's MinAtar Adam (lr 1e-4 chosen here), and PyTorch's RMSprop defaults but lr.
    private static IFlatOptimizer Reference(FlatParameters p) => new FlatRmsProp(p, lr: 2.5e-4, alpha: 0.95, eps: 0.01, centered: true);
    private static IFlatOptimizer Plain(FlatParameters p) => new FlatRmsProp(p, lr: 1e-3, alpha: 0.99, eps: 1e-8, centered: false);
    private static IFlatOptimizer Adam(FlatParameters p) => new FlatAdam(p, lr: 1e-4, eps: 3.125e-4);

    private static void Train(Sequential net, Action zero_grad, Action step, MinAtarNet.Sample[] samples, int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            zero_grad();
            MinAtarNet.Loss(net, samples[i % samples.Length]).backward();
            step();
        }
    }

    /// <summary>Trains a copy of <paramref name="initial"/> with a flat optimizer; returns its final values.</summary>
    private static float[][] TrainFlat(Sequential initial, Func<FlatParameters, IFlatOptimizer> create, MinAtarNet.Sample[] samples,
        int steps = Steps)
    {
        using var net = MinAtarNet.CopyOf(initial);
        using var parameters = new FlatParameters(net);
        using var optimizer = create(parameters);
        Train(net, optimizer.zero_grad, optimizer.step, samples, steps);
        Assert.Equal(steps, optimizer.Steps);
        return MinAtarNet.Values(net);
    }

    private static float[][] TrainPyTorch(Sequential initial, Func<IEnumerable<Parameter>, PyTorchOptimizer> create,
        MinAtarNet.Sample[] samples)
    {
        using var net = MinAtarNet.CopyOf(initial);
        using var optimizer = create(net.parameters());
        Train(net, () => net.zero_grad(set_to_none: false), optimizer.step, samples, Steps);
        return MinAtarNet.Values(net);
    }

    /// <summary>
    /// Trains a copy of <paramref name="initial"/> with a flat optimizer and feeds each step's gradient, unchanged, to
    /// TorchSharp's optimizer on a second copy: the two differ only by their update rules (training both separately lets
    /// ReLUs amplify the last bits, up to 1e-4 of a 0.02 move in 300 steps). Returns (flat, TorchSharp) values.
    /// </summary>
    private static (float[][] Flat, float[][] TorchSharp) SameGradients(Sequential initial, Func<FlatParameters, IFlatOptimizer> create,
        Func<IEnumerable<Parameter>, optim.Optimizer> createTorchSharp, MinAtarNet.Sample[] samples)
    {
        using var net = MinAtarNet.CopyOf(initial);
        using var twin = MinAtarNet.CopyOf(initial);
        using var parameters = new FlatParameters(net);
        using var optimizer = create(parameters);
        var twinParameters = twin.parameters().ToArray();
        using var torchSharp = createTorchSharp(twinParameters);
        foreach (var p in twinParameters) p.grad = zeros_like(p).DetachFromDisposeScope();
        for (int i = 0; i < Steps; i++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            MinAtarNet.Loss(net, samples[i % samples.Length]).backward();
            using (no_grad())
                foreach (var (from, to) in parameters.Parameters.Zip(twinParameters)) to.grad!.copy_(from.grad!);
            optimizer.step();
            torchSharp.step();
        }
        return (MinAtarNet.Values(net), MinAtarNet.Values(twin));
    }

    private static (double Difference, double Movement) Compare(float[][] initial, float[][] expected, float[][] actual) =>
        (MinAtarNet.MaxAbsDifference(expected, actual), MinAtarNet.MaxAbsDifference(initial, expected));

    [Fact]
    public void Centered_rmsprop_is_pytorchs_op_sequence()
    {
        using var initial = MinAtarNet.Create(seed: 1);
        var samples = MinAtarNet.Samples(8, seed: 10);
        var flat = TrainFlat(initial, Reference, samples);
        Assert.Equal(TrainPyTorch(initial, ps => PyTorchOptimizer.RmsProp(ps, 2.5e-4, 0.95, 0.01, centered: true), samples), flat);
        Assert.True(Compare(MinAtarNet.Values(initial), flat, flat).Movement > 0.01);
        foreach (var s in samples) s.Dispose();
    }

    [Fact]
    public void Centered_rmsprop_is_torchsharps_rmsprop_within_rounding()
    {
        using var initial = MinAtarNet.Create(seed: 2);
        var samples = MinAtarNet.Samples(8, seed: 11);
        var (flat, torchSharp) = SameGradients(initial, Reference,
            ps => optim.RMSProp(ps, lr: 2.5e-4, alpha: 0.95, eps: 0.01, centered: true), samples);
        var (difference, movement) = Compare(MinAtarNet.Values(initial), torchSharp, flat);
        output.WriteLine($"centered RMSprop, {Steps} steps on the same gradients: flat vs TorchSharp max |difference| " +
            $"{difference:G3}, largest parameter move {movement:G3}");
        Assert.True(movement > 0.01, $"the parameters moved by at most {movement}");
        Assert.True(difference > 0, "TorchSharp's mul_ + add_ was expected to round differently from lerp_ somewhere");
        Assert.True(difference < 1e-7,
            $"flat and TorchSharp's RMSprop differ by up to {difference} after {Steps} steps (largest move {movement})");
        foreach (var s in samples) s.Dispose();
    }

    [Fact]
    public void Plain_rmsprop_is_pytorchs_op_sequence_and_torchsharps_rmsprop_exactly()
    {
        using var initial = MinAtarNet.Create(seed: 3);
        var samples = MinAtarNet.Samples(8, seed: 12);
        var flat = TrainFlat(initial, Plain, samples);
        Assert.Equal(TrainPyTorch(initial, ps => PyTorchOptimizer.RmsProp(ps, 1e-3, 0.99, 1e-8, centered: false), samples), flat);
        // Without lerp_ TorchSharp's plain RMSprop has PyTorch's ops too.
        var (sameFlat, torchSharp) = SameGradients(initial, Plain, ps => optim.RMSProp(ps, lr: 1e-3, alpha: 0.99, eps: 1e-8), samples);
        Assert.Equal(torchSharp, sameFlat);
        Assert.True(Compare(MinAtarNet.Values(initial), flat, flat).Movement > 0.01);
        foreach (var s in samples) s.Dispose();
    }

    [Fact]
    public void Adam_is_pytorchs_op_sequence()
    {
        using var initial = MinAtarNet.Create(seed: 4);
        var samples = MinAtarNet.Samples(8, seed: 13);
        var flat = TrainFlat(initial, Adam, samples);
        Assert.Equal(TrainPyTorch(initial, ps => PyTorchOptimizer.Adam(ps, 1e-4, 0.9, 0.999, 3.125e-4), samples), flat);
        Assert.True(Compare(MinAtarNet.Values(initial), flat, flat).Movement > 0.01);
        foreach (var s in samples) s.Dispose();
    }

    [Fact]
    public void Adam_is_torchsharps_adam_within_rounding()
    {
        using var initial = MinAtarNet.Create(seed: 5);
        var samples = MinAtarNet.Samples(8, seed: 14);
        var (flat, torchSharp) = SameGradients(initial, Adam, ps => optim.Adam(ps, lr: 1e-4, eps: 3.125e-4), samples);
        var (difference, movement) = Compare(MinAtarNet.Values(initial), torchSharp, flat);
        output.WriteLine($"Adam, {Steps} steps on the same gradients: flat vs TorchSharp max |difference| " +
            $"{difference:G3}, largest parameter move {movement:G3}");
        Assert.True(movement > 0.01, $"the parameters moved by at most {movement}");
        Assert.True(difference > 0, "TorchSharp's mul_ + add_ was expected to round differently from lerp_ somewhere");
        Assert.True(difference < 1e-7,
            $"flat and TorchSharp's Adam differ by up to {difference} after {Steps} steps (largest move {movement})");
        foreach (var s in samples) s.Dispose();
    }

    [Fact]
    public void Centered_rmsprop_stays_finite_under_a_constant_gradient()
    {
        // A constant gradient makes the centered mean square (1 - 0.95^t) g^2 - (1 - 0.95^t)^2 g^2 about 0.95^t g^2, which
        // float32 rounding takes below 0 after a few hundred steps (soft sharing's pull on a dead unit did this): the
        // optimizer must not take its root to NaN.
        manual_seed(3);
        using var net = nn.Sequential(("fc", nn.Linear(256, 8)));
        using var parameters = new FlatParameters(net);
        using var optimizer = Reference(parameters);
        using var direction = randn(8, 256);
        for (int i = 0; i < 2_000; i++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            (net.parameters().First() * direction).sum().backward();
            optimizer.step();
        }
        Assert.All(MinAtarNet.Values(net).SelectMany(v => v), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Steps_are_bitwise_the_same_on_a_rerun()
    {
        using var initial = MinAtarNet.Create(seed: 6);
        var samples = MinAtarNet.Samples(8, seed: 15);
        foreach (var create in new Func<FlatParameters, IFlatOptimizer>[] { Reference, Adam })
            Assert.Equal(TrainFlat(initial, create, samples, 100), TrainFlat(initial, create, samples, 100));
        foreach (var s in samples) s.Dispose();
    }

    [Fact]
    public void Restored_state_continues_exactly_like_the_original()
    {
        using var initial = MinAtarNet.Create(seed: 7);
        var samples = MinAtarNet.Samples(4, seed: 16);
        foreach (var create in new Func<FlatParameters, IFlatOptimizer>[] { Reference, Plain, Adam })
        {
            using var a = MinAtarNet.CopyOf(initial);
            using var pa = new FlatParameters(a);
            using var oa = create(pa);
            Train(a, oa.zero_grad, oa.step, samples, 20);

            // A checkpoint: weights and optimizer state copied out, then loaded into a fresh network and optimizer.
            var saved = oa.NamedState().ToDictionary(s => s.Name, s => s.Tensor.clone().DetachFromDisposeScope());
            using var b = MinAtarNet.CopyOf(a);
            using var pb = new FlatParameters(b);
            using var ob = create(pb);
            ob.LoadState(saved);
            Assert.Equal(20, ob.Steps);

            Train(a, oa.zero_grad, oa.step, samples, 10);
            Train(b, ob.zero_grad, ob.step, samples, 10);
            Assert.Equal(MinAtarNet.Values(a), MinAtarNet.Values(b));
            Assert.Equal(30, ob.Steps);
            foreach (var t in saved.Values) t.Dispose();
        }
        foreach (var s in samples) s.Dispose();
    }

    [Fact]
    public void State_names_are_pytorchs()
    {
        using var net = MinAtarNet.Create();
        using var p = new FlatParameters(net);
        using var centered = Reference(p);
        using var plain = Plain(p);
        using var adam = Adam(p);
        Assert.Equal(["square_avg", "grad_avg", "step"], centered.NamedState().Select(s => s.Name));
        Assert.Equal(["square_avg", "step"], plain.NamedState().Select(s => s.Name));
        Assert.Equal(["exp_avg", "exp_avg_sq", "step"], adam.NamedState().Select(s => s.Name));
        Assert.All(adam.NamedState(), s => Assert.Equal(s.Name == "step" ? [] : new[] { p.Count }, s.Tensor.shape));
    }

    [Fact]
    public void Loading_a_state_with_a_missing_key_a_wrong_shape_or_an_unknown_key_is_refused_and_changes_nothing()
    {
        using var net = MinAtarNet.Create();
        using var p = new FlatParameters(net);
        using var optimizer = Reference(p);
        using var good = ones(p.Count);
        using var small = ones(10);
        using var step = tensor(7L);

        var e = Assert.Throws<ArgumentException>(() =>
            optimizer.LoadState(new Dictionary<string, Tensor> { ["square_avg"] = good, ["step"] = step }));
        Assert.Contains("RMSprop (centered) state lacks 'grad_avg'; it has: square_avg, step", e.Message);

        e = Assert.Throws<ArgumentException>(() =>
            optimizer.LoadState(new Dictionary<string, Tensor> { ["square_avg"] = good, ["grad_avg"] = small, ["step"] = step }));
        Assert.Contains("'grad_avg' has shape [10], expected [133430]", e.Message);

        e = Assert.Throws<ArgumentException>(() => optimizer.LoadState(new Dictionary<string, Tensor>
        {
            ["square_avg"] = good, ["grad_avg"] = good, ["step"] = step, ["exp_avg"] = good,
        }));
        Assert.Contains("has 'exp_avg', which this optimizer does not use", e.Message);

        Assert.Equal(0, optimizer.Steps);
        Assert.All(optimizer.NamedState(), s => Assert.Equal(0.0, s.Tensor.abs().max().to(ScalarType.Float64).item<double>()));
    }
}
