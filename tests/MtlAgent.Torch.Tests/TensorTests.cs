using static MtlAgent.Torch.torch;

namespace MtlAgent.Torch.Tests;

/// <summary>Tensor creation, properties, operators, reductions and indexing behave as in PyTorch.</summary>
public class TensorTests
{
    static float[] F(Tensor t) => t.data<float>().ToArray();
    static long[] L(Tensor t) => t.data<long>().ToArray();
    static bool[] B(Tensor t) => t.data<bool>().ToArray();

    [Fact]
    public void Creation_sets_shape_dtype_device()
    {
        using var scope = NewDisposeScope();
        var t = zeros([2, 3]);
        Assert.Equal([2L, 3], t.shape);
        Assert.Equal(ScalarType.Float32, t.dtype);
        Assert.Equal(CPU, t.device);
        Assert.Equal(6, t.numel());
        Assert.Equal(2, t.dim());
        Assert.Equal(ScalarType.Int64, arange(5).dtype);
        Assert.Equal([0L, 1, 2, 3, 4], L(arange(5)));
        Assert.Equal([1f, 1.5f], F(arange(1.0, 2.0, 0.5)));
        Assert.Equal([7f, 7f], F(full([2], 7)));
        Assert.Equal(ScalarType.Float64, tensor(new double[] { 1 }).dtype);
        Assert.Equal(ScalarType.Int32, tensor(new int[] { 1 }).dtype);
        Assert.Equal(ScalarType.Byte, tensor(new byte[] { 1 }).dtype);
        Assert.Equal(ScalarType.Bool, tensor(new bool[] { true }).dtype);
        Assert.Equal(ScalarType.Float32, tensor(new long[] { 1, 2 }, dtype: float32).dtype);
        Assert.Equal(0, tensor(2.5f).dim());
        Assert.Equal(2.5f, tensor(2.5f).item<float>());
        Assert.Equal([1f, 1f], F(ones_like(zeros(2))));
        Assert.Equal([0f, 0f], F(zeros_like(ones(2))));
        Assert.True(ones([2], requires_grad: true).requires_grad);
        Assert.Throws<TorchException>(() => tensor(new float[] { 1, 2, 3 }, [2, 2]));
    }

    [Fact]
    public void Generator_matches_pytorch_after_manual_seed()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        Approx.Equal([0.49625659f, 0.76822180f], F(rand(2)), 1e-6);
        manual_seed(0);
        Approx.Equal([1.54099607f], F(randn(1)), 1e-6);
    }

    [Fact]
    public void Rng_state_restores_the_sequence()
    {
        using var scope = NewDisposeScope();
        manual_seed(42);
        var state = get_rng_state();
        Assert.Equal(ScalarType.Byte, state.dtype);
        var a = F(randn(5));
        set_rng_state(state);
        Assert.Equal(a, F(randn(5)));
    }

    [Fact]
    public void Operators_broadcast_and_take_numbers_on_either_side()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        var row = tensor(new float[] { 10, 20 }, [1, 2]);
        Assert.Equal([11f, 22f, 13f, 24f], F(a + row));
        Assert.Equal([-9f, -18f, -7f, -16f], F(a - row));
        Assert.Equal([10f, 40f, 30f, 80f], F(a * row));
        Assert.Equal([0.1f, 0.1f, 0.3f, 0.2f], F(a / row));
        Assert.Equal([3f, 4f, 5f, 6f], F(a + 2));
        Assert.Equal([3f, 4f, 5f, 6f], F(2 + a));
        Assert.Equal([-1f, 0f, 1f, 2f], F(a - 2));
        Assert.Equal([1f, 0f, -1f, -2f], F(2 - a));
        Assert.Equal([2f, 4f, 6f, 8f], F(a * 2));
        Assert.Equal([2f, 4f, 6f, 8f], F(2 * a));
        Assert.Equal([0.5f, 1f, 1.5f, 2f], F(a / 2));
        Assert.Equal([12f, 6f, 4f, 3f], F(12 / a));
        Assert.Equal([-1f, -2f, -3f, -4f], F(-a));
        Assert.Equal(ScalarType.Float32, (a * 2.5).dtype); // a number does not promote float32
        var ints = tensor(new long[] { 1, 2 });
        Assert.Equal(ScalarType.Float32, (ints / 2).dtype); // true division, as in PyTorch
        Assert.Equal([0.5f, 1f], F(ints / 2));
    }

    [Fact]
    public void Comparisons_give_bool_tensors()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3 });
        var b = tensor(new float[] { 3, 2, 1 });
        Assert.Equal([false, true, false], B(a.eq(b)));
        Assert.Equal([true, false, true], B(a.ne(b)));
        Assert.Equal([true, false, false], B(a.lt(b)));
        Assert.Equal([true, true, false], B(a.le(b)));
        Assert.Equal([false, false, true], B(a.gt(b)));
        Assert.Equal([false, true, true], B(a.ge(b)));
        Assert.Equal([false, true, true], B(a.ge(2)));
        Assert.Equal(ScalarType.Bool, a.eq(2).dtype);
    }

    [Fact]
    public void Maths_functions()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 4, 9 });
        Assert.Equal([1f, 2f, 3f], F(a.sqrt()));
        Assert.Equal([1f, 16f, 81f], F(a.pow(2)));
        Assert.Equal([1f, 4f, 9f], F((-a).abs()));
        Approx.Equal([0f, (float)Math.Log(4), (float)Math.Log(9)], F(a.log()));
        Approx.Equal([(float)Math.E, (float)Math.Exp(4), (float)Math.Exp(9)], F(a.exp()), 1e-6);
        Assert.Equal([2f, 4f, 5f], F(a.clamp(2, 5)));
        Assert.Equal([2f, 4f, 9f], F(a.clamp(min: 2)));
        Assert.Equal([1f, 4f, 5f], F(a.clamp(max: 5)));
        var s = tensor(new float[] { 1, 2, 3, 1, 1, 1 }, [2, 3]).softmax(1);
        Approx.Equal([1f, 1f], F(s.sum(1)));
        Approx.Equal(F(s.log()), F(tensor(new float[] { 1, 2, 3, 1, 1, 1 }, [2, 3]).log_softmax(1)), 1e-5);
        Assert.Equal([7f, 10f, 15f, 22f], F(tensor(new float[] { 1, 2, 3, 4 }, [2, 2]).matmul(tensor(new float[] { 1, 2, 3, 4 }, [2, 2]))));
    }

    [Fact]
    public void Reductions()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 5, 3, 4, 2, 6 }, [2, 3]);
        Assert.Equal(21f, a.sum().item<float>());
        Assert.Equal(3.5f, a.mean().item<float>());
        Assert.Equal(6f, a.max().item<float>());
        Assert.Equal(5L, a.argmax().item<long>());
        Assert.Equal([9f, 12f], F(a.sum(1)));
        Assert.Equal([2L, 1], a.sum(1, keepdim: true).shape);
        Assert.Equal([5f, 7f, 9f], F(a.sum([0L])));
        Assert.Equal([3.5f], F(a.mean([0L, 1L]).reshape(1)));
        Assert.Equal([3f, 4f], F(a.mean(1)));
        var (values, indexes) = a.max(1);
        Assert.Equal([5f, 6f], F(values));
        Assert.Equal([1L, 2L], L(indexes));
        Assert.Equal([1L, 2L], L(a.argmax(1)));
        Assert.Equal([2L, 1], a.argmax(1, keepdim: true).shape);
    }

    [Fact]
    public void Shapes_and_indexing()
    {
        using var scope = NewDisposeScope();
        var a = arange(0.0, 6.0).reshape(2, 3);
        Assert.Equal([3L, 2], a.view(3, 2).shape);
        Assert.Equal([3L, 2], a.permute(1, 0).shape);
        Assert.Equal([0f, 3f, 1f, 4f, 2f, 5f], F(a.permute(1, 0).contiguous()));
        Assert.Equal([1L, 2, 3], a.unsqueeze(0).shape);
        Assert.Equal([2L, 3], a.unsqueeze(0).squeeze(0).shape);
        Assert.Equal([2L, 3], a.unsqueeze(2).squeeze().shape);
        Assert.Equal([6L], a.flatten().shape);
        Assert.Equal([2L, 12], zeros(2, 3, 4).flatten(1).shape);
        Assert.Equal([1f, 2f, 4f, 5f], F(a.narrow(1, 1, 2)));
        Assert.Equal([3f, 4f, 5f], F(a[1]));
        Assert.Equal(4f, a[1, 1].item<float>());
        Assert.Equal([3f, 4f, 5f, 0f, 1f, 2f], F(a.index_select(0, tensor(new long[] { 1, 0 }))));
        Assert.Equal([2f, 3f], F(a.gather(1, tensor(new long[] { 2, 0 }, [2, 1])).flatten()));
        Assert.Equal([0f, 9f, 0f, 7f, 0f, 0f], F(zeros(2, 3).scatter(1, tensor(new long[] { 1, 0 }, [2, 1]), tensor(new float[] { 9, 7 }, [2, 1]))));
        Assert.Equal([1f, 0f, 0f, 0f, 0f, 1f], F(zeros(2, 3).scatter(1, tensor(new long[] { 0, 2 }, [2, 1]), 1.0)));
        Assert.Equal([4L, 3], cat([a, a], 0).shape);
        Assert.Equal([2L, 2, 3], stack([a, a], 0).shape);
        var cond = tensor(new bool[] { true, false, true });
        Assert.Equal([1f, 20f, 3f], F(where(cond, tensor(new float[] { 1, 2, 3 }), tensor(new float[] { 10, 20, 30 }))));
        Assert.Equal([1f, 20f, 3f], F(tensor(new float[] { 1, 2, 3 }).where(cond, tensor(new float[] { 10, 20, 30 }))));
    }

    [Fact]
    public void Conversions_and_host_copies()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1.7f, -2.2f });
        Assert.Equal([1L, -2L], L(a.to(int64)));
        Assert.Equal(ScalarType.Float64, a.to(ScalarType.Float64).dtype);
        Assert.Equal(CPU, a.to(CPU).device);
        var buffer = new float[2];
        a.data<float>().CopyTo(buffer);
        Assert.Equal([1.7f, -2.2f], buffer);
        Assert.Equal(-2.2f, a.data<float>()[1]);
        Assert.Equal(-2.2f, a.to(float64).to(float32).data<float>()[1]);
        var obs = zeros([2, 3], uint8);
        obs.copy_from<byte>(new byte[] { 1, 2, 3, 4, 5, 6 });
        Assert.Equal(21f, obs.to(float32).sum().item<float>());
        var t = empty(3);
        t.copy_from<float>(new float[] { 1, 2, 3 });
        Assert.Equal([1f, 2f, 3f], F(t));
        // a non-contiguous view is filled through libtorch
        var view = zeros(3, 2).t();
        view.copy_from<float>(new float[] { 1, 2, 3, 4, 5, 6 });
        Assert.Equal([1f, 4f, 2f, 5f, 3f, 6f], F(view.t().contiguous()));
        Assert.Equal(-2, a.to(int32)[1].item<int>());
    }

    [Fact]
    public void In_place_updates()
    {
        using var scope = NewDisposeScope();
        var a = ones(3);
        a.add_(ones(3)).mul_(3).add_(1);
        Assert.Equal([7f, 7f, 7f], F(a));
        a.add_(ones(3), alpha: -2);
        Assert.Equal([5f, 5f, 5f], F(a));
        a.mul_(tensor(new float[] { 1, 2, 3 }));
        Assert.Equal([5f, 10f, 15f], F(a));
        a.fill_(2);
        Assert.Equal([2f, 2f, 2f], F(a));
        a.zero_();
        Assert.Equal([0f, 0f, 0f], F(a));
        a.copy_(tensor(new float[] { 4, 5, 6 }));
        Assert.Equal([4f, 5f, 6f], F(a));
    }

    [Fact]
    public void Autograd_detach_clone_and_no_grad()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 2, 3 }, requires_grad: true);
        var y = (x * x).sum();
        y.backward();
        Assert.Equal([2f, 4f, 6f], F(x.grad!));
        Assert.False(x.detach().requires_grad);
        Assert.True(x.clone().requires_grad);
        using (no_grad())
        {
            Assert.False(is_grad_enabled());
            Assert.False((x * 2).requires_grad);
        }
        Assert.True(is_grad_enabled());
        Assert.True((x * 2).requires_grad);
        x.requires_grad_(false);
        Assert.False(x.requires_grad);
        Assert.Null(ones(1).grad);
    }
}
