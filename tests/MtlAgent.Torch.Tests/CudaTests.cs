using static MtlAgent.Torch.torch;

namespace MtlAgent.Torch.Tests;

/// <summary>The same maths on the GPU; skipped without CUDA.</summary>
public class CudaTests
{
    [CudaFact]
    public void Tensors_round_trip_through_the_gpu()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 2, 3 }, device: CUDA);
        Assert.Equal(DeviceType.CUDA, x.device_type);
        Assert.Equal([2f, 4f, 6f], (x * 2).cpu().data<float>().ToArray());
        Assert.Equal([1f, 2f, 3f], x.data<float>().ToArray());
        x.copy_from<float>(new float[] { 4, 5, 6 });
        Assert.Equal(15f, x.sum().item<float>());
    }

    [CudaFact]
    public void Network_update_on_gpu_matches_cpu()
    {
        manual_seed(5);
        using var cpuNet = nn.Sequential(nn.Conv2d(10, 16, 3), nn.ReLU(), nn.Flatten(), nn.Linear(1024, 6));
        manual_seed(5);
        using var gpuNet = nn.Sequential(nn.Conv2d(10, 16, 3), nn.ReLU(), nn.Flatten(), nn.Linear(1024, 6));
        gpuNet.to(CUDA);
        using var optC = optim.RMSProp(cpuNet.parameters(), lr: 1e-3, alpha: 0.95, eps: 0.01, centered: true);
        using var optG = optim.RMSProp(gpuNet.parameters(), lr: 1e-3, alpha: 0.95, eps: 0.01, centered: true);
        using var x = rand([8, 10, 10, 10]);
        using var y = randn([8, 6]);
        using var xg = x.cuda();
        using var yg = y.cuda();
        for (var i = 0; i < 3; i++)
        {
            using var scope = NewDisposeScope();
            optC.zero_grad();
            nn.functional.smooth_l1_loss(cpuNet.forward(x), y).backward();
            optC.step();
            optG.zero_grad();
            nn.functional.smooth_l1_loss(gpuNet.forward(xg), yg).backward();
            optG.step();
        }
        using (var scope = NewDisposeScope())
            foreach (var ((name, a), (_, b)) in cpuNet.named_parameters().Zip(gpuNet.named_parameters()))
                Approx.Equal(a.data<float>().ToArray(), b.cpu().data<float>().ToArray(), 1e-4);
    }
}
