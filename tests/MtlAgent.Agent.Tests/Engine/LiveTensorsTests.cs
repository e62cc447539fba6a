using MtlAgent.Agent.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Tests.Engine;

public class LiveTensorsTests
{
    [Fact]
    public void Training_steps_inside_a_dispose_scope_keep_the_count_flat()
    {
        using var net = MinAtarNet.Create();
        using var parameters = new FlatParameters(net);
        using var optimizer = new FlatRmsProp(parameters, lr: 2.5e-4, alpha: 0.95, eps: 0.01, centered: true);
        var samples = MinAtarNet.Samples(4, seed: 20);
        void Step(int i)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            MinAtarNet.Loss(net, samples[i % samples.Length]).backward();
            optimizer.step();
        }

        Step(0);
        long live = LiveTensors.OnThisThread;
        for (int i = 1; i <= 2000; i++) Step(i);
        Assert.Equal(live, LiveTensors.OnThisThread);
        foreach (var s in samples) s.Dispose();
    }

    [Fact]
    public void The_count_sees_a_tensor_left_outside_a_scope_until_it_is_disposed()
    {
        long before = LiveTensors.OnThisThread;
        var leaked = ones(3) * 2;  // two tensors: ones(3) is never disposed here
        Assert.Equal(before + 2, LiveTensors.OnThisThread);
        leaked.Dispose();
        Assert.Equal(before + 1, LiveTensors.OnThisThread);

        using (NewDisposeScope()) { _ = ones(3) * 2; }
        Assert.Equal(before + 1, LiveTensors.OnThisThread);
    }

    [Fact]
    public void A_parameter_counts_once_on_this_thread()
    {
        long before = LiveTensors.OnThisThread;
        var p = new TorchSharp.Modules.Parameter(zeros(3));
        Assert.Equal(before + 1, LiveTensors.OnThisThread);
        p.Dispose();
        Assert.Equal(before, LiveTensors.OnThisThread);
    }
}
