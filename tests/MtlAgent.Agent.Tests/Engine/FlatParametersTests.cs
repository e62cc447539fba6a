using MtlAgent.Agent.Engine;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Tests.Engine;

public class FlatParametersTests
{
    [Fact]
    public void Forward_and_backward_give_the_same_values_and_gradients_after_flattening()
    {
        using var plain = MinAtarNet.Create();
        using var flat = MinAtarNet.CopyOf(plain);
        using var parameters = new FlatParameters(flat);
        var samples = MinAtarNet.Samples(2, seed: 1);
        using var scope = NewDisposeScope();

        Assert.Equal(plain.forward(samples[0].obs).data<float>().ToArray(), flat.forward(samples[0].obs).data<float>().ToArray());
        // Two backwards without zeroing: the second accumulates into the views.
        for (int i = 0; i < 2; i++)
        {
            MinAtarNet.Loss(plain, samples[i]).backward();
            MinAtarNet.Loss(flat, samples[i]).backward();
            Assert.Equal(MinAtarNet.Gradients(plain), MinAtarNet.Gradients(flat));
        }
        parameters.EnsureViews();
        foreach (var s in samples) s.Dispose();
    }

    [Fact]
    public void Parameters_and_state_dict_see_the_flat_buffers_under_unchanged_names()
    {
        using var net = MinAtarNet.Create();
        var keys = net.state_dict().Keys.ToArray();
        var values = MinAtarNet.Values(net);
        using var parameters = new FlatParameters(net);

        Assert.Equal(keys, net.state_dict().Keys.ToArray());
        Assert.Equal(keys, parameters.Names);
        Assert.Equal(values, MinAtarNet.Values(net));
        Assert.Equal(values.Sum(v => (long)v.Length), parameters.Count);
        Assert.Equal(133_430, parameters.Count);

        using (no_grad()) parameters.data.add_(1.0);
        var shifted = MinAtarNet.Values(net);
        for (int i = 0; i < values.Length; i++) Assert.Equal(values[i].Select(v => v + 1f), shifted[i]);

        using (var scope = NewDisposeScope())
        {
            var sample = MinAtarNet.Samples(1, seed: 2)[0];
            MinAtarNet.Loss(net, sample).backward();
            var flatGrad = parameters.grad.data<float>().ToArray();
            Assert.Equal(MinAtarNet.Gradients(net).SelectMany(g => g), flatGrad);
            Assert.Contains(flatGrad, g => g != 0);
            sample.Dispose();
        }
    }

    [Fact]
    public void Copying_the_flat_buffer_equals_copying_each_parameter()
    {
        using var source = MinAtarNet.Create(seed: 1);
        using var viaFlat = MinAtarNet.Create(seed: 2);
        using var viaParameters = MinAtarNet.Create(seed: 3);
        using var sourceFlat = new FlatParameters(source);
        using var targetFlat = new FlatParameters(viaFlat);
        Assert.NotEqual(MinAtarNet.Values(source), MinAtarNet.Values(viaFlat));

        targetFlat.CopyFrom(sourceFlat);
        using (no_grad())
            foreach (var ((_, to), (_, from)) in viaParameters.named_parameters().Zip(source.named_parameters())) to.copy_(from);

        Assert.Equal(MinAtarNet.Values(viaParameters), MinAtarNet.Values(viaFlat));
        targetFlat.EnsureViews();
    }

    [Fact]
    public void Copying_between_different_architectures_is_refused()
    {
        using var a = MinAtarNet.Create();
        using var b = TorchSharp.torch.nn.Sequential(("fc", TorchSharp.torch.nn.Linear(4, 2)));
        using var fa = new FlatParameters(a);
        using var fb = new FlatParameters(b);
        var e = Assert.Throws<ArgumentException>(() => fa.CopyFrom(fb));
        Assert.Contains("fc.weight[2,4]", e.Message);
    }

    [Fact]
    public void Load_state_dict_and_safetensors_write_into_the_views()
    {
        using var source = MinAtarNet.Create(seed: 1);
        using var net = MinAtarNet.Create(seed: 2);
        using var parameters = new FlatParameters(net);
        Assert.NotEqual(MinAtarNet.Values(source), MinAtarNet.Values(net));
        var expected = MinAtarNet.Values(source);

        net.load_state_dict(source.state_dict());
        Assert.Equal(expected, MinAtarNet.Values(net));
        Assert.Equal(expected.SelectMany(v => v), parameters.data.data<float>().ToArray());
        parameters.EnsureViews();

        var path = Path.Combine(Path.GetTempPath(), $"flat-{Guid.NewGuid():N}.safetensors");
        try
        {
            using (no_grad()) parameters.data.zero_();
            source.save_safetensors(path);
            net.load_safetensors(path);
            Assert.Equal(expected.SelectMany(v => v), parameters.data.data<float>().ToArray());
            parameters.EnsureViews();

            // And the flattened network saves its own values (views with storage offsets).
            using (no_grad()) parameters.data.mul_(2.0);
            net.save_safetensors(path);
            using var reloaded = MinAtarNet.Create(seed: 3);
            reloaded.load_safetensors(path);
            Assert.Equal(MinAtarNet.Values(net), MinAtarNet.Values(reloaded));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Gradients_cut_off_from_the_flat_buffer_are_detected()
    {
        using var net = MinAtarNet.Create();
        using var parameters = new FlatParameters(net);
        parameters.EnsureViews();

        var conv = net.named_parameters().Single(n => n.name == "conv.weight").parameter;
        conv.grad = zeros(16, 10, 3, 3);
        var e = Assert.Throws<InvalidOperationException>(parameters.EnsureViews);
        Assert.Contains("the gradient of parameter 'conv.weight' was replaced", e.Message);

        net.zero_grad(); // TorchSharp's default sets gradients to null
        e = Assert.Throws<InvalidOperationException>(parameters.EnsureViews);
        Assert.Contains("the gradient of parameter 'conv.weight' was set to null", e.Message);
    }

    [Fact]
    public void Zero_grad_and_clipping_act_on_all_gradients_together()
    {
        using var net = MinAtarNet.Create();
        using var reference = MinAtarNet.CopyOf(net);
        using var parameters = new FlatParameters(net);
        var sample = MinAtarNet.Samples(1, seed: 3)[0];
        using var scope = NewDisposeScope();
        MinAtarNet.Loss(net, sample).backward();
        MinAtarNet.Loss(reference, sample).backward();

        double expectedNorm = nn.utils.clip_grad_norm_(reference.parameters(), 0.01);
        var norm = parameters.ClipGradNorm(0.01);
        Assert.Equal(expectedNorm, norm.item<float>(), 1e-6 * expectedNorm);
        Assert.True(MinAtarNet.MaxAbsDifference(MinAtarNet.Gradients(reference), MinAtarNet.Gradients(net)) < 1e-8);
        Assert.Equal(0.01, linalg.vector_norm(parameters.grad).item<float>(), 1e-6);

        // Under the limit, clipping changes nothing.
        var before = parameters.grad.data<float>().ToArray();
        parameters.ClipGradNorm(1.0);
        Assert.Equal(before, parameters.grad.data<float>().ToArray());

        parameters.zero_grad();
        Assert.Equal(0f, parameters.grad.abs().max().item<float>());
        parameters.EnsureViews();
        sample.Dispose();
    }

    [Fact]
    public void Parameters_of_mixed_dtype_are_refused()
    {
        using var net = TorchSharp.torch.nn.Sequential(("a", TorchSharp.torch.nn.Linear(2, 2)),
            ("b", TorchSharp.torch.nn.Linear(2, 2, dtype: ScalarType.Float64)));
        var e = Assert.Throws<ArgumentException>(() => new FlatParameters(net));
        Assert.Contains("parameter 'b.weight' is Float64 on cpu but 'a.weight' is Float32 on cpu", e.Message);
    }
}
