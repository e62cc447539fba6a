using MtlAgent.Torch;

namespace MtlAgent.Torch.Tests;

public class BriefExampleTests
{
    [Fact]
    public void The_brief_snippet_compiles_and_runs_as_in_pytorch()
    {
        torch.manual_seed(0);
#pragma warning disable CS8602 // grad is nullable (None in PyTorch); the snippet is kept verbatim
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[2 * 3 * 10 * 10], new long[] { 2, 3, 10, 10 }, requires_grad: true);
        var w = torch.randn(new long[] { 16, 3, 3, 3 }, requires_grad: true);
        var b = torch.zeros(new long[] { 16 }, requires_grad: true);
        var y = torch.nn.functional.relu(torch.nn.functional.conv2d(x, w, b));
        var loss = torch.nn.functional.smooth_l1_loss(y.flatten(1), torch.zeros(new long[] { 2, 1024 }));
        loss.backward();
        float[] gx = x.grad.data<float>().ToArray();   // grad is a property, as in TorchSharp
        float l = loss.item<float>();
        var net = torch.nn.Sequential(torch.nn.Conv2d(10, 16, 3), torch.nn.ReLU(), torch.nn.Flatten(),
                                      torch.nn.Linear(1024, 128), torch.nn.ReLU(), torch.nn.Linear(128, 6));
        var opt = torch.optim.RMSProp(net.parameters(), lr: 2.5e-4, alpha: 0.95, eps: 0.01, centered: true);
        opt.zero_grad(); /* loss.backward(); */ opt.step();
        using (torch.no_grad()) { /* ... */ }
        bool gpu = torch.cuda.is_available();
#pragma warning restore CS8602

        // x is all zeros and the bias is zero, so y = 0 = target: zero loss, and relu'(0) = 0 gives zero gradients.
        Assert.Equal(0f, l);
        Assert.Equal(600, gx.Length);
        Assert.All(gx, g => Assert.Equal(0f, g));
        Assert.Equal([2L, 16, 8, 8], y.shape);
        Assert.Equal(6, net.parameters().Count());
        Assert.False(gpu && !torch.cuda.is_available());
        net.Dispose();
        opt.Dispose();
    }
}
