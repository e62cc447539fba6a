using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Learning;
using MtlAgent.Agent.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Tests.Learning;

public class TdTargetTests
{
    // Three transitions, three actions; the second is terminal (discount 0), the others are discounted by gamma 0.9.
    private static readonly float[] Rewards = [1f, 2f, -1f];
    private static readonly float[] Discounts = [0.9f, 0f, 0.9f];
    private static readonly float[] NextTarget = [1f, 5f, 3f, /**/ 9f, 9f, 9f, /**/ -2f, -4f, 0.5f];
    private static readonly float[] NextOnline = [0f, 1f, 7f, /**/ 1f, 0f, 0f, /**/ 3f, 0f, 0f];

    [Fact]
    public void PlainTargetsUseMaxOfTargetNetworkAndMaskTerminals()
    {
        using var scope = NewDisposeScope();
        var y = TdTarget.Compute(tensor(Rewards, new long[] { 3 }), tensor(Discounts, new long[] { 3 }),
            tensor(NextTarget, new long[] { 3, 3 }), null);
        Assert.Equal(new[] { 1 + 0.9f * 5, 2f, -1 + 0.9f * 0.5f }, y.data<float>().ToArray(), new FloatTolerance(1e-6f));
    }

    [Fact]
    public void DoubleDqnTargetsLetOnlineNetworkChoose()
    {
        using var scope = NewDisposeScope();
        var y = TdTarget.Compute(tensor(Rewards, new long[] { 3 }), tensor(Discounts, new long[] { 3 }),
            tensor(NextTarget, new long[] { 3, 3 }), tensor(NextOnline, new long[] { 3, 3 }));
        // Row 0: online picks action 2 -> target 3; row 1 terminal; row 2: online picks 0 -> target -2.
        Assert.Equal(new[] { 1 + 0.9f * 3, 2f, -1 + 0.9f * -2 }, y.data<float>().ToArray(), new FloatTolerance(1e-6f));
    }
}
