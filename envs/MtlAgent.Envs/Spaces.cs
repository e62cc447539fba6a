namespace MtlAgent.Envs;

/// <summary>A discrete action space <c>{0, ..., N-1}</c> (Gymnasium's <c>Discrete</c>).</summary>
/// <param name="N">Number of actions.</param>
public sealed record DiscreteSpace(int N)
{
    /// <summary>Whether <paramref name="action"/> lies in <c>0 .. N-1</c>.</summary>
    public bool Contains(int action) => (uint)action < (uint)N;
}

/// <summary>A box of bytes with the given shape and bounds (Gymnasium's <c>Box</c>, dtype uint8).</summary>
/// <param name="Shape">Dimensions, here <c>[C, 10, 10]</c> (channels first).</param>
/// <param name="Low">Smallest value of every element.</param>
/// <param name="High">Largest value of every element.</param>
public sealed record BoxSpace(int[] Shape, byte Low = 0, byte High = 1)
{
    /// <summary>Number of elements (product of the shape).</summary>
    public int Size => Shape.Aggregate(1, (a, b) => a * b);
}
