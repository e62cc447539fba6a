using static MtlAgent.Torch.torch;

namespace MtlAgent.Torch.Tests;

/// <summary>Per-step dispose scopes keep the number of live native tensors flat.</summary>
public class LeakTests
{
    [Fact]
    public void Ten_thousand_training_steps_leave_the_live_tensor_count_flat()
    {
        manual_seed(0);
        using var net = nn.Sequential(nn.Conv2d(10, 16, 3), nn.ReLU(), nn.Flatten(),
            nn.Linear(1024, 128), nn.ReLU(), nn.Linear(128, 6));
        using var opt = optim.RMSProp(net.parameters(), lr: 2.5e-4, alpha: 0.95, eps: 0.01, centered: true);
        using var x = rand([32, 10, 10, 10]);
        using var target = randn([32, 6]);

        var steps = 0;
        void Step()
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            var q = net.forward(x);
            var loss = nn.functional.smooth_l1_loss(q, target);
            loss.backward();
            opt.step();
            if (++steps % 10 != 0) return;
            using (no_grad())
            {
                var (values, indexes) = net.forward(x).max(1);
                _ = indexes.data<long>()[0] + values.mean().item<float>();
            }
        }

        Step(); // gradients come to life on the first backward
        var before = LiveCount.Settled();
        for (var i = 0; i < 10_000; i++) Step();
        Assert.Equal(before, LiveCount.Settled());
    }

    [Fact]
    public void Dispose_scope_releases_everything_created_inside()
    {
        var before = LiveCount.Settled();
        using (var scope = NewDisposeScope())
        {
            var a = ones(3) + 1;
            var b = (a * a).sum();
            Assert.True(scope.Count >= 4);
            Assert.True(LiveTensorCount > before);
        }
        Assert.Equal(before, LiveCount.Settled());
    }

    [Fact]
    public void Moved_and_detached_tensors_survive_their_scope()
    {
        var before = LiveCount.Settled();
        Tensor moved, detached;
        using (var outer = NewDisposeScope())
        {
            using (var inner = NewDisposeScope())
            {
                moved = ones(2).MoveToOuterDisposeScope();
                detached = ones(3).DetachFromDisposeScope();
                _ = ones(4);
            }
            Assert.False(moved.IsInvalid);
            Assert.Equal(2f, moved.sum().item<float>());
        }
        Assert.True(moved.IsInvalid);
        Assert.False(detached.IsInvalid);
        Assert.Equal(before + 1, LiveCount.Settled());
        detached.Dispose();
        Assert.Equal(before, LiveCount.Settled());
    }

    [Fact]
    public void Disposing_a_scoped_tensor_early_is_fine()
    {
        var before = LiveCount.Settled();
        using (var scope = NewDisposeScope())
        {
            var a = ones(3);
            a.Dispose();
            Assert.Equal(0, scope.Count);
        }
        Assert.Equal(before, LiveCount.Settled());
    }

    [Fact]
    public void Module_parameters_created_inside_a_scope_belong_to_the_module()
    {
        Modules.Linear net;
        using (var scope = NewDisposeScope())
            net = nn.Linear(3, 2);
        Assert.False(net.weight.IsInvalid);
        var before = LiveCount.Settled();
        net.Dispose();
        Assert.Equal(before - 2, LiveCount.Settled());
    }
}
