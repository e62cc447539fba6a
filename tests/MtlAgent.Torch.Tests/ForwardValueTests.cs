using static MtlAgent.Torch.torch;
using F = MtlAgent.Torch.torch.nn.functional;

namespace MtlAgent.Torch.Tests;

/// <summary>Forward values of the layers and losses against numbers worked out by hand.</summary>
public class ForwardValueTests
{
    static float[] Values(Tensor t) => t.data<float>().ToArray();

    [Fact]
    public void Conv2d_matches_hand_computed_values()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, [1, 1, 3, 3]);
        var w = tensor(new float[] { 1, 2, 3, 4 }, [1, 1, 2, 2]);
        var b = tensor(new float[] { 0.5f }, [1]);
        // out[i,j] = x[i,j] + 2 x[i,j+1] + 3 x[i+1,j] + 4 x[i+1,j+1] + 0.5
        var y = F.conv2d(x, w, b);
        Assert.Equal([1L, 1, 2, 2], y.shape);
        Assert.Equal([37.5f, 47.5f, 67.5f, 77.5f], Values(y));
        // stride 2, padding 1: windows start at padded (-1,-1), (-1,1), (1,-1), (1,1)
        var s = F.conv2d(x, w, b, stride: 2, padding: 1);
        Assert.Equal([1L, 1, 2, 2], s.shape);
        Assert.Equal([4 * 1 + 0.5f, 3 * 2 + 4 * 3 + 0.5f, 2 * 4 + 4 * 7 + 0.5f, 1 * 5 + 2 * 6 + 3 * 8 + 4 * 9 + 0.5f], Values(s));
        // no bias
        Assert.Equal([37f, 47f, 67f, 77f], Values(F.conv2d(x, w)));
    }

    [Fact]
    public void Linear_matches_hand_computed_values()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        var w = tensor(new float[] { 1, 0, 0, 1, 1, 1 }, [3, 2]);
        var b = tensor(new float[] { 0.1f, 0.2f, 0.3f }, [3]);
        var y = F.linear(x, w, b);
        Assert.Equal([2L, 3], y.shape);
        Approx.Equal([1.1f, 2.2f, 3.3f, 3.1f, 4.2f, 7.3f], Values(y));
        Approx.Equal([1f, 2f, 3f, 3f, 4f, 7f], Values(F.linear(x, w)));
    }

    [Fact]
    public void Relu_clips_negatives()
    {
        using var scope = NewDisposeScope();
        Assert.Equal([0f, 0f, 2f, 0.5f], Values(F.relu(tensor(new float[] { -1, 0, 2, 0.5f }))));
    }

    [Fact]
    public void Smooth_l1_matches_hand_computed_values()
    {
        using var scope = NewDisposeScope();
        var input = tensor(new float[] { 0, 0.5f, 3, -2 });
        var target = zeros(4);
        // beta 1: 0.5 d^2 inside |d| < 1, |d| - 0.5 outside
        Approx.Equal([0f, 0.125f, 2.5f, 1.5f], Values(F.smooth_l1_loss(input, target, nn.Reduction.None)));
        Assert.Equal(4.125f / 4, F.smooth_l1_loss(input, target).item<float>(), 6);
        Assert.Equal(4.125f, F.smooth_l1_loss(input, target, nn.Reduction.Sum).item<float>(), 6);
        // beta 2: 0.5 d^2 / 2 inside |d| < 2, |d| - 1 outside
        Approx.Equal([0f, 0.0625f, 2f, 1f], Values(F.smooth_l1_loss(input, target, nn.Reduction.None, beta: 2)));
    }

    [Fact]
    public void Mse_matches_hand_computed_values()
    {
        using var scope = NewDisposeScope();
        var input = tensor(new float[] { 1, 2, 3 });
        var target = tensor(new float[] { 0, 0, 1 });
        Assert.Equal(3f, F.mse_loss(input, target).item<float>(), 6);
        Assert.Equal(9f, F.mse_loss(input, target, nn.Reduction.Sum).item<float>(), 6);
        Assert.Equal([1f, 4f, 4f], Values(F.mse_loss(input, target, nn.Reduction.None)));
    }

    [Fact]
    public void One_hot_encodes_indexes()
    {
        using var scope = NewDisposeScope();
        var h = F.one_hot(tensor(new long[] { 2, 0 }), 3);
        Assert.Equal(ScalarType.Int64, h.dtype);
        Assert.Equal([0L, 0, 1, 1, 0, 0], h.data<long>().ToArray());
    }
}
