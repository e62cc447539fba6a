using System.Runtime.InteropServices;
using static MtlAgent.Torch.torch;

namespace MtlAgent.Torch.Tests;

/// <summary>libtorch errors become TorchException with libtorch's message, and the bridge keeps working.</summary>
public class ErrorTests
{
    [Fact]
    public void Shape_mismatch_throws_TorchException_with_libtorchs_message_and_the_next_call_works()
    {
        using var scope = NewDisposeScope();
        var a = ones(2, 3);
        var b = ones(4, 5);
        var e = Assert.Throws<TorchException>(() => a.matmul(b));
        Assert.IsAssignableFrom<ExternalException>(e);
        Assert.Contains("cannot be multiplied", e.Message);
        Assert.Contains("2x3", e.Message);
        Assert.DoesNotContain("frame #", e.Message); // no C++ backtrace
        Assert.Equal(6f, a.sum().item<float>());
        Assert.Equal([2L, 5], a.matmul(ones(3, 5)).shape);
    }

    [Fact]
    public void Conv2d_with_wrong_channels_throws_TorchException()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => nn.functional.conv2d(ones(1, 3, 5, 5), ones(4, 2, 3, 3)));
        Assert.Contains("channels", e.Message);
    }

    [Fact]
    public void Errors_do_not_leak_tensors()
    {
        using var a = ones(2, 3);
        using var b = ones(4, 5);
        var before = LiveCount.Settled();
        for (var i = 0; i < 10; i++) Assert.Throws<TorchException>(() => a + b);
        Assert.Equal(before, LiveCount.Settled());
    }

    [Fact]
    public void Using_a_disposed_tensor_throws_ObjectDisposedException()
    {
        var t = ones(2);
        t.Dispose();
        t.Dispose(); // idempotent
        Assert.Throws<ObjectDisposedException>(() => t.sum());
    }

    [Fact]
    public void Data_with_the_wrong_element_type_is_rejected()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => ones(2).data<double>());
        Assert.Contains("Float32", e.Message);
        Assert.Throws<ArgumentException>(() => ones(2).copy_from<long>(new long[] { 1, 2 }));
        Assert.Throws<TorchException>(() => ones(2).copy_from<float>(new float[] { 1, 2, 3 }));
    }

    [Fact]
    public void Cuda_without_cuda_is_a_clear_error()
    {
        if (cuda.is_available()) return; // covered by CudaTests on a GPU machine
        Assert.Equal(0, cuda.device_count());
        using var scope = NewDisposeScope();
        var e = Assert.Throws<InvalidOperationException>(() => zeros([2], device: CUDA));
        Assert.Contains("CUDA is not available", e.Message);
        Assert.Throws<InvalidOperationException>(() => ones(2).to(CUDA));
        Assert.Throws<InvalidOperationException>(() => ones(2).cuda());
        Assert.Throws<InvalidOperationException>(() => tensor(new float[] { 1 }, device: device("cuda:0")));
        using var net = nn.Linear(2, 2);
        Assert.Throws<InvalidOperationException>(() => net.to(CUDA));
        Assert.Equal(2f, ones(2).sum().item<float>());
    }

    [Fact]
    public void Overwriting_a_tensor_saved_for_backward_is_detected()
    {
        using var scope = NewDisposeScope();
        var w = ones([3], requires_grad: true);
        var x = ones(3);
        var y = (w * x).sum(); // saves x for the gradient of w
        x.copy_from<float>(new float[] { 2, 2, 2 });
        var e = Assert.Throws<TorchException>(() => y.backward());
        Assert.Contains("modified by an inplace operation", e.Message);
    }

    [Fact]
    public void Unknown_device_names_list_the_accepted_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => device("gpu"));
        Assert.Contains("cpu, cuda", e.Message);
    }
}
