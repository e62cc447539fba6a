using static MtlAgent.Torch.torch;

namespace MtlAgent.Torch.Modules;

/// <summary>Runs its modules in order; submodules are named "0", "1", ... unless named explicitly.</summary>
public sealed class Sequential : nn.Module<Tensor, Tensor>
{
    readonly List<nn.Module<Tensor, Tensor>> layers = new();

    public Sequential(params (string name, nn.Module<Tensor, Tensor> module)[] modules) : base(nameof(Sequential))
    {
        foreach (var (name, m) in modules) append(name, m);
    }

    public Sequential(params nn.Module<Tensor, Tensor>[] modules) : base(nameof(Sequential))
    {
        foreach (var m in modules) append(m);
    }

    public int Count => layers.Count;

    public nn.Module<Tensor, Tensor> this[int index] => layers[index];

    public Sequential append(nn.Module<Tensor, Tensor> module) => append(layers.Count.ToString(), module);

    public Sequential append(string name, nn.Module<Tensor, Tensor> module)
    {
        register_module(name, module);
        layers.Add(module);
        return this;
    }

    /// <summary>Intermediate results are disposed as soon as the next layer has used them (autograd keeps what it needs).</summary>
    public override Tensor forward(Tensor input)
    {
        if (layers.Count == 0) return input.view(input.shape);
        var x = layers[0].forward(input);
        for (var i = 1; i < layers.Count; i++)
        {
            var next = layers[i].forward(x);
            if (!ReferenceEquals(next, x)) x.Dispose();
            x = next;
        }
        return x;
    }
}
