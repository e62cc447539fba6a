namespace MtlAgent.Torch;

/// <summary>
/// Collects every tensor created on this thread while it is the innermost scope and disposes them
/// with it (TorchSharp's torch.NewDisposeScope()). Scopes are per thread: never await inside one.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] static DisposeScope? current;

    readonly HashSet<Tensor> tensors = new(ReferenceEqualityComparer.Instance);
    bool disposed;

    internal DisposeScope()
    {
        Outer = current;
        current = this;
    }

    /// <summary>The scope that was innermost when this one was opened.</summary>
    public DisposeScope? Outer { get; }

    /// <summary>Number of live tensors this scope will dispose.</summary>
    public int Count => tensors.Count;

    internal bool IsDisposedInternal => disposed;

    internal static DisposeScope? Current
    {
        get
        {
            // A scope disposed out of order stays in the chain of the inner ones; skip it.
            while (current is { disposed: true }) current = current.Outer;
            return current;
        }
    }

    internal void Add(Tensor t)
    {
        tensors.Add(t);
        t.Scope = this;
    }

    internal void Remove(Tensor t)
    {
        tensors.Remove(t);
        t.Scope = null;
    }

    /// <summary>Moves <paramref name="t"/> to the enclosing scope (or to no scope) and returns it.</summary>
    public T MoveToOuter<T>(T t) where T : Tensor => (T)t.MoveToOuterDisposeScope();

    /// <summary>Disposes every tensor still owned by this scope and makes its outer scope current.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        // Scopes close innermost first; if one is disposed out of order, the current chain skips it.
        if (current == this) current = Outer;
        foreach (var t in tensors)
        {
            t.Scope = null;
            t.Dispose();
        }
        tensors.Clear();
    }
}
