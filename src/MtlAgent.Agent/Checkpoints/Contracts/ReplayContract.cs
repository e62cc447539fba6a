using MessagePack;

namespace MtlAgent.Agent.Checkpoints.Contracts;

/// <summary>
/// <c>replay-&lt;g&gt;.msgpack</c>, schema 2: one game's replay ring exactly as held in memory (see
/// <see cref="Replay.ReplayBuffer"/>), LZ4-compressed. Keys are the file layout: never renumber one.
/// </summary>
[MessagePackObject]
public sealed record ReplayContract
{
    /// <summary>Layout version; must equal the manifest's.</summary>
    [Key(0)] public int Schema { get; init; }
    /// <summary>Environment copies, one ring each.</summary>
    [Key(1)] public int Streams { get; init; }
    /// <summary>Slots of each ring.</summary>
    [Key(2)] public int SlotsPerStream { get; init; }
    /// <summary>Observation channels of the game.</summary>
    [Key(3)] public int Channels { get; init; }
    /// <summary>Transitions that can be sampled.</summary>
    [Key(4)] public int Count { get; init; }
    /// <summary>Next slot to write, per ring.</summary>
    [Key(5)] public required int[] Heads { get; init; }
    /// <summary>Slots written at least once, per ring.</summary>
    [Key(6)] public required int[] Filled { get; init; }
    /// <summary>Whether each ring's newest slot awaits its action (an episode is running).</summary>
    [Key(7)] public required bool[] Open { get; init; }
    /// <summary>Bit-packed observations, slot after slot.</summary>
    [Key(8)] public required byte[] Observations { get; init; }
    /// <summary>Action leaving each slot.</summary>
    [Key(9)] public required byte[] Actions { get; init; }
    /// <summary>Reward of each slot's transition: float32, little-endian (raw bytes: 4 per slot instead of MessagePack's 5).</summary>
    [Key(10)] public required byte[] Rewards { get; init; }
    /// <summary>Per-slot flags (startable, terminal).</summary>
    [Key(11)] public required byte[] Flags { get; init; }
}
