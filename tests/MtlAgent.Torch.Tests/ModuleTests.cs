using MtlAgent.Torch.Modules;
using static MtlAgent.Torch.torch;

namespace MtlAgent.Torch.Tests;

/// <summary>Module registration, naming, state dicts, modes, initialisation and target sync.</summary>
public class ModuleTests
{
    /// <summary>A two-input module as the agent writes them: fields, RegisterComponents, a head list.</summary>
    sealed class TwoHeads : nn.Module<Tensor, Tensor, Tensor>
    {
        readonly Linear trunk = nn.Linear(4, 8);
        readonly ModuleList<Linear> heads = nn.ModuleList(nn.Linear(8, 2), nn.Linear(8, 3));
        readonly nn.Parameter scale = new(ones(1));
        readonly Tensor count = zeros(1);

        public TwoHeads() : base(nameof(TwoHeads)) => RegisterComponents();

        public override Tensor forward(Tensor x, Tensor task)
        {
            using var h = trunk.forward(x).relu();
            return heads[(int)task.item<long>()].forward(h) * scale;
        }
    }

    [Fact]
    public void Parameters_and_buffers_have_dotted_names()
    {
        using var m = new TwoHeads();
        Assert.Equal(new[] { "trunk.weight", "trunk.bias", "heads.0.weight", "heads.0.bias", "heads.1.weight", "heads.1.bias", "scale" }.Order(),
            m.named_parameters().Select(p => p.name).Order());
        Assert.Equal(["count"], m.named_buffers().Select(b => b.name));
        Assert.Equal(["trunk", "heads"], m.named_children().Select(c => c.name));
        Assert.Equal(8, m.state_dict().Count);
        using var scope = NewDisposeScope();
        Assert.Equal([1L, 3], m.forward(ones(1, 4), tensor(1L)).shape);
    }

    [Fact]
    public void Sequential_names_layers_by_index()
    {
        using var net = nn.Sequential(nn.Conv2d(10, 16, 3), nn.ReLU(), nn.Flatten(), nn.Linear(1024, 128), nn.ReLU(), nn.Linear(128, 6));
        Assert.Equal(["0.weight", "0.bias", "3.weight", "3.bias", "5.weight", "5.bias"], net.state_dict().Keys);
        Assert.Equal([16L, 10, 3, 3], net.state_dict()["0.weight"].shape);
    }

    [Fact]
    public void Initialisation_follows_pytorch_bounds()
    {
        manual_seed(0);
        using var lin = nn.Linear(1024, 128);
        using var conv = nn.Conv2d(10, 16, 3);
        using var scope = NewDisposeScope();
        var bound = 1 / Math.Sqrt(1024);
        Assert.True(lin.weight.abs().max().item<double>() <= bound);
        Assert.True(lin.weight.abs().max().item<double>() > 0.95 * bound);
        Assert.InRange(lin.weight.std([0L, 1L]).item<double>(), 0.95 * bound / Math.Sqrt(3), 1.05 * bound / Math.Sqrt(3));
        Assert.True(lin.bias!.abs().max().item<double>() <= bound);
        var convBound = 1 / Math.Sqrt(90);
        Assert.True(conv.weight.abs().max().item<double>() <= convBound);
        Assert.True(conv.bias!.abs().max().item<double>() <= convBound);
        Assert.True(lin.weight.requires_grad);
        Assert.Null(nn.Linear(3, 2, hasBias: false).bias);
    }

    [Fact]
    public void Linear_init_reproduces_pytorch_numbers()
    {
        // torch.manual_seed(0); torch.nn.Linear(2, 1): weight [[-0.0053, 0.3793]], bias [-0.5820]
        manual_seed(0);
        using var lin = nn.Linear(2, 1);
        Approx.Equal([-0.0053f, 0.3793f], lin.weight.data<float>().ToArray(), 1e-3);
        Approx.Equal([-0.5820f], lin.bias!.data<float>().ToArray(), 1e-3);
    }

    [Fact]
    public void Load_state_dict_copies_values_and_checks_names_and_shapes()
    {
        manual_seed(1);
        using var a = nn.Linear(3, 2);
        manual_seed(2);
        using var b = nn.Linear(3, 2);
        b.load_state_dict(a.state_dict());
        Assert.Equal(a.weight.data<float>().ToArray(), b.weight.data<float>().ToArray());
        using var scope = NewDisposeScope();
        var wrong = new Dictionary<string, Tensor> { ["weight"] = zeros(2, 4), ["bias"] = zeros(2) };
        Assert.Contains("shape", Assert.Throws<ArgumentException>(() => b.load_state_dict(wrong)).Message);
        var missing = new Dictionary<string, Tensor> { ["weight"] = zeros(2, 3) };
        Assert.Contains("bias", Assert.Throws<ArgumentException>(() => b.load_state_dict(missing)).Message);
        var (miss, unexpected) = b.load_state_dict(missing, strict: false);
        Assert.Equal(["bias"], miss);
        Assert.Empty(unexpected);
    }

    [Fact]
    public void Train_eval_and_zero_grad()
    {
        using var net = nn.Sequential(nn.Linear(2, 2), nn.ReLU());
        Assert.True(net.training);
        net.eval();
        Assert.False(net.training);
        Assert.False(net.children().First().training);
        net.train();
        Assert.True(net.children().First().training);
        using var scope = NewDisposeScope();
        net.forward(ones(1, 2)).sum().backward();
        net.zero_grad(set_to_none: false);
        foreach (var p in net.parameters()) Assert.Equal(0f, p.grad!.abs().sum().item<float>());
        net.zero_grad();
        foreach (var p in net.parameters()) Assert.Null(p.grad);
    }

    [Fact]
    public void Copy_parameters_syncs_a_target_network()
    {
        manual_seed(1);
        using var online = nn.Sequential(nn.Conv2d(2, 3, 3), nn.Flatten(), nn.Linear(27, 4));
        manual_seed(2);
        using var target = nn.Sequential(nn.Conv2d(2, 3, 3), nn.Flatten(), nn.Linear(27, 4));
        nn.utils.copy_parameters(online, target);
        foreach (var ((_, a), (_, b)) in online.named_parameters().Zip(target.named_parameters()))
            Assert.Equal(a.data<float>().ToArray(), b.data<float>().ToArray());
        Assert.False(target.parameters().First().grad is not null);
        using var other = nn.Linear(2, 2);
        Assert.Throws<ArgumentException>(() => nn.utils.copy_parameters(online, other));
        using var wide = nn.Linear(2, 3);
        Assert.Contains("shape", Assert.Throws<ArgumentException>(() => nn.utils.copy_parameters(wide, other)).Message);
    }

    [Fact]
    public void Clip_grad_norm_scales_gradients()
    {
        using var p = new nn.Parameter(zeros(2));
        using var scope = NewDisposeScope();
        p.grad = tensor(new float[] { 3, 4 });
        var norm = nn.utils.clip_grad_norm_(new[] { p }, 1.0);
        Assert.Equal(5.0, norm, 5);
        Approx.Equal([0.6f, 0.8f], p.grad!.data<float>().ToArray(), 1e-5);
    }

    [Fact]
    public void Module_to_keeps_parameter_objects()
    {
        using var lin = nn.Linear(2, 2);
        var w = lin.weight;
        lin.to(float64);
        Assert.Same(w, lin.weight);
        Assert.Equal(ScalarType.Float64, lin.weight.dtype);
        Assert.True(lin.weight.requires_grad);
        Assert.True(lin.weight.is_leaf);
    }
}
