using MtlAgent.Agent.Engine;
using MtlAgent.Agent.Learning;
using MtlAgent.Agent.Tests.Engine;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Tests.Learning;

/// <summary><c>learner.optimizer_state: per_game</c>: each game's updates move the parameters by that game's own statistics.</summary>
public class PerGameOptimizerTests
{
    private static IFlatOptimizer Reference(FlatParameters p) => new FlatRmsProp(p, lr: 2.5e-4, alpha: 0.95, eps: 0.01, centered: true);

    // Games in an uneven order, so no game's statistics can follow from a fixed alternation.
    private static readonly int[] Order = [0, 0, 1, 0, 1, 1, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0];

    /// <summary>
    /// Steps one network through <see cref="Order"/>, each game's gradient from its own samples, and hands every step's
    /// parameters, gradient and game to <paramref name="check"/> after the step (with the parameters before it).
    /// </summary>
    private static void Run(IFlatOptimizer optimizer, Action<int, Tensor, Tensor, Tensor>? check, TorchSharp.Modules.Sequential net,
        FlatParameters parameters, MinAtarNet.Sample[][] samples)
    {
        for (int i = 0; i < Order.Length; i++)
        {
            using var scope = NewDisposeScope();
            int game = Order[i];
            if (optimizer is PerGameOptimizer perGame) perGame.Use(game);
            optimizer.zero_grad();
            MinAtarNet.Loss(net, samples[game][i % samples[game].Length]).backward();
            var before = parameters.data.clone();
            optimizer.step();
            check?.Invoke(game, before, parameters.grad, parameters.data);
        }
    }

    private static bool Same(Tensor a, Tensor b)
    {
        using var equal = a.eq(b);
        using var all = equal.all();
        return all.item<bool>();
    }

    [Fact]
    public void Each_game_moves_the_parameters_exactly_as_its_own_optimizer_fed_only_its_gradients()
    {
        using var net = MinAtarNet.Create(seed: 3);
        var samples = new[] { MinAtarNet.Samples(3, seed: 11), MinAtarNet.Samples(3, seed: 12) };
        using var parameters = new FlatParameters(net);
        using var optimizer = new PerGameOptimizer([Reference(parameters), Reference(parameters)]);
        // Each game's lone optimizer, on a network of its own that is set to the shared parameters before each of its steps.
        var lone = Enumerable.Range(0, 2).Select(_ => MinAtarNet.CopyOf(net)).ToArray();
        var loneParameters = lone.Select(n => new FlatParameters(n)).ToArray();
        var loneOptimizers = loneParameters.Select(Reference).ToArray();
        int moved = 0;
        Run(optimizer, (game, before, grad, after) =>
        {
            using var noGrad = no_grad();
            loneParameters[game].data.copy_(before);
            loneParameters[game].grad.copy_(grad);
            loneOptimizers[game].step();
            Assert.True(Same(after, loneParameters[game].data), $"step of game {game} differs from its own optimizer's");
            moved += Same(after, before) ? 0 : 1;
        }, net, parameters, samples);
        Assert.Equal(Order.Length, moved);
        Assert.Equal(Order.Length, optimizer.Steps);
        Assert.Equal([Order.Count(g => g == 0), Order.Count(g => g == 1)], loneOptimizers.Select(o => o.Steps));

        // One shared state on the same sequence ends elsewhere: the games' statistics do mix there.
        using var sharedNet = MinAtarNet.Create(seed: 3);
        using var sharedParameters = new FlatParameters(sharedNet);
        using var shared = Reference(sharedParameters);
        Run(shared, null, sharedNet, sharedParameters, samples);
        Assert.False(Same(sharedParameters.data, parameters.data));

        foreach (var d in loneOptimizers.Concat<IDisposable>(loneParameters).Concat(lone).Concat(samples.SelectMany(s => s))) d.Dispose();
    }

    [Fact]
    public void Its_state_round_trips_under_game_keys_and_a_shared_state_is_refused_changing_nothing()
    {
        using var net = MinAtarNet.Create(seed: 3);
        var samples = new[] { MinAtarNet.Samples(3, seed: 11), MinAtarNet.Samples(3, seed: 12) };
        using var parameters = new FlatParameters(net);
        using var optimizer = new PerGameOptimizer([Reference(parameters), Reference(parameters)]);
        Run(optimizer, null, net, parameters, samples);
        Assert.Equal(["game0.square_avg", "game0.grad_avg", "game0.step", "game1.square_avg", "game1.grad_avg", "game1.step"],
            optimizer.NamedState().Select(s => s.Name));
        var saved = optimizer.NamedState().ToDictionary(s => s.Name, s => s.Tensor.clone());

        using var fresh = new PerGameOptimizer([Reference(parameters), Reference(parameters)]);
        using var single = Reference(parameters);
        var e = Assert.Throws<ArgumentException>(() => fresh.LoadState(single.NamedState().ToDictionary(s => s.Name, s => s.Tensor)));
        Assert.Contains("per-game optimizer state has 'square_avg', which it does not use", e.Message);
        var partial = saved.Where(kv => kv.Key != "game1.grad_avg").ToDictionary(kv => kv.Key, kv => kv.Value);
        e = Assert.Throws<ArgumentException>(() => fresh.LoadState(partial));
        Assert.Contains("game 1's optimizer state lacks 'grad_avg'", e.Message);
        Assert.Equal(0, fresh.Steps);
        Assert.All(fresh.NamedState(), s => Assert.Equal(0.0, s.Tensor.abs().max().to(ScalarType.Float64).item<double>()));

        fresh.LoadState(saved);
        Assert.Equal(Order.Length, fresh.Steps);
        Assert.Equal([Order.Count(g => g == 0), Order.Count(g => g == 1)], new[] { fresh.Of(0).Steps, fresh.Of(1).Steps });
        Assert.All(fresh.NamedState(), s => Assert.True(Same(s.Tensor, saved[s.Name]), s.Name));
        foreach (var d in saved.Values.Concat<IDisposable>(samples.SelectMany(s => s))) d.Dispose();
    }
}
