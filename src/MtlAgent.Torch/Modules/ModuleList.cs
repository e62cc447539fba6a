using System.Collections;
using static MtlAgent.Torch.torch;

namespace MtlAgent.Torch.Modules;

/// <summary>A list of submodules registered as "0", "1", ... (e.g. one output head per game).</summary>
public sealed class ModuleList<T> : nn.Module, IReadOnlyList<T> where T : nn.Module
{
    readonly List<T> items = new();

    public ModuleList(params T[] modules) : base(nameof(ModuleList<T>))
    {
        foreach (var m in modules) append(m);
    }

    public ModuleList<T> append(T module)
    {
        register_module(items.Count.ToString(), module);
        items.Add(module);
        return this;
    }

    public T this[int index] => items[index];
    public int Count => items.Count;
    public IEnumerator<T> GetEnumerator() => items.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
