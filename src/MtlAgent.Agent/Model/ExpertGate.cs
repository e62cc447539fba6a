namespace MtlAgent.Agent.Model;

/// <summary>
/// The gate of a mixture-of-experts trunk (<c>trunk: moe</c>) as it stands: how much of each game's features comes from
/// each expert, and how spread that choice is.
/// </summary>
/// <param name="Usage">Per game (head order), the gate's weight on each expert: the softmax of the game's gate logits
/// (each row sums to 1).</param>
/// <param name="Entropy">Per game, the entropy of that distribution in nats: ln E when the game uses every expert
/// equally (as initialised), 0 when it uses one.</param>
public sealed record ExpertGate(IReadOnlyList<double[]> Usage, IReadOnlyList<double> Entropy);
