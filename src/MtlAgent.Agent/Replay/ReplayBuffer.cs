using MtlAgent.Agent.Randomness;

namespace MtlAgent.Agent.Replay;

/// <summary>
/// One game's replay: a ring of slots per environment copy, each slot holding one bit-packed observation
/// and the transition that leaves it (action, reward, terminal). The successor observation of slot i is slot
/// i + 1 of the same ring, so every observation is stored once. An episode's last observation occupies a slot
/// from which no transition starts; the next episode's first observation takes the following slot.
/// </summary>
public sealed class ReplayBuffer
{
    private const byte Startable = 1; // a transition starts here: action, reward, terminal set, successor stored
    private const byte Terminal = 2;  // that transition ended the episode by termination (bootstrap is zero)

    private readonly int _streams;
    private readonly int _slotsPerStream;
    private readonly int _packed;
    private readonly byte[] _obs;
    private readonly byte[] _actions;
    private readonly float[] _rewards;
    private readonly byte[] _flags;
    private readonly int[] _head;   // next slot to write, per stream
    private readonly int[] _filled; // slots written at least once, per stream
    private readonly bool[] _open;  // the newest slot of the stream awaits its action (an episode is running)
    private readonly HashSet<int> _chosen = [];

    /// <summary>A buffer of <paramref name="capacity"/> slots split evenly over <paramref name="streams"/> environment copies.</summary>
    public ReplayBuffer(int capacity, int channels, int streams = 1)
    {
        if (streams < 1) throw new ArgumentOutOfRangeException(nameof(streams), streams, "streams must be at least 1");
        if (capacity < 2 * streams)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"capacity must be at least 2 per stream ({2 * streams})");
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be at least 1");
        Channels = channels;
        _streams = streams;
        _slotsPerStream = capacity / streams;
        _packed = BitPacking.PackedLength(channels * Cells);
        int slots = _slotsPerStream * streams;
        _obs = new byte[slots * _packed];
        _actions = new byte[slots];
        _rewards = new float[slots];
        _flags = new byte[slots];
        _head = new int[streams];
        _filled = new int[streams];
        _open = new bool[streams];
    }

    /// <summary>Cells of one observation channel (MinAtar boards are 10 x 10).</summary>
    public const int Cells = 100;

    /// <summary>Observation channels of this game.</summary>
    public int Channels { get; }

    /// <summary>Total slots (capacity rounded down to a multiple of the stream count).</summary>
    public int Capacity => _slotsPerStream * _streams;

    /// <summary>Transitions that can be sampled now.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Storage per slot: packed observation, action, reward, flags. About one per transition (plus one slot per episode end).
    /// </summary>
    public int BytesPerTransition => _packed + sizeof(byte) + sizeof(float) + sizeof(byte);

    /// <summary>Starts an episode in <paramref name="stream"/> with its first observation ([C,10,10] 0/1 bytes).</summary>
    public void BeginEpisode(int stream, ReadOnlySpan<byte> obs)
    {
        Write(stream, obs);
        _open[stream] = true;
    }

    /// <summary>
    /// Records the transition from the stream's newest observation: the agent's <paramref name="action"/>, the
    /// <paramref name="reward"/>, whether the game <paramref name="terminated"/>, and the observation that followed.
    /// When <paramref name="episodeEnded"/> (terminated or truncated) the next call must be <see cref="BeginEpisode"/>.
    /// </summary>
    public void AddStep(int stream, int action, float reward, bool terminated, bool episodeEnded, ReadOnlySpan<byte> nextObs)
    {
        if (!_open[stream])
            throw new InvalidOperationException($"replay stream {stream}: AddStep without a running episode; call BeginEpisode first");
        if ((uint)action > byte.MaxValue) throw new ArgumentOutOfRangeException(nameof(action), action, "action must be in 0..255");
        int last = SlotIndex(stream, (_head[stream] - 1 + _slotsPerStream) % _slotsPerStream);
        _actions[last] = (byte)action;
        _rewards[last] = reward;
        // Writing the successor first: if it overwrites the oldest slot, that slot's count is removed before this one's is added.
        Write(stream, nextObs);
        _flags[last] = (byte)(Startable | (terminated ? Terminal : 0));
        Count++;
        _open[stream] = !episodeEnded;
    }

    /// <summary>
    /// Draws <paramref name="indices"/>.Length distinct transitions uniformly (without replacement) using <paramref name="rng"/>.
    /// </summary>
    public void Sample(Xoshiro256 rng, Span<int> indices)
    {
        if (indices.Length > Count)
            throw new InvalidOperationException($"replay holds {Count} transitions, cannot draw {indices.Length} without replacement");
        _chosen.Clear();
        // Draw over the filled part only (streams x the longest fill), so a large, mostly empty buffer samples as fast as a full one.
        int filled = _filled.Max();
        for (int i = 0; i < indices.Length;)
        {
            int r = rng.NextInt(_streams * filled), slot = SlotIndex(r / filled, r % filled);
            if ((_flags[slot] & Startable) == 0 || !_chosen.Add(slot)) continue;
            indices[i++] = slot;
        }
    }

    /// <summary>
    /// Writes the sampled transitions into batch arrays at rows <paramref name="row0"/>.. : observations and successors as
    /// 0/1 floats in rows of <paramref name="paddedChannels"/> x 100 (channels beyond this game's stay zero), actions, rewards,
    /// and terminal flags as 0/1.
    /// </summary>
    public void Gather(ReadOnlySpan<int> indices, int row0, int paddedChannels, Span<float> obs, Span<float> nextObs,
        Span<long> actions, Span<float> rewards, Span<float> terminals)
    {
        int rowLength = paddedChannels * Cells, used = Channels * Cells;
        for (int i = 0; i < indices.Length; i++)
        {
            int slot = indices[i], row = row0 + i;
            int stream = slot / _slotsPerStream, next = SlotIndex(stream, (slot % _slotsPerStream + 1) % _slotsPerStream);
            BitPacking.Unpack(_obs.AsSpan(slot * _packed, _packed), obs.Slice(row * rowLength, used));
            BitPacking.Unpack(_obs.AsSpan(next * _packed, _packed), nextObs.Slice(row * rowLength, used));
            obs.Slice(row * rowLength + used, rowLength - used).Clear();
            nextObs.Slice(row * rowLength + used, rowLength - used).Clear();
            actions[row] = _actions[slot];
            rewards[row] = _rewards[slot];
            terminals[row] = (_flags[slot] & Terminal) != 0 ? 1f : 0f;
        }
    }

    /// <summary>The observation stored in <paramref name="slot"/> as 0/1 bytes (tests and tools).</summary>
    public byte[] ObservationAt(int slot)
    {
        var cells = new byte[Channels * Cells];
        BitPacking.Unpack(_obs.AsSpan(slot * _packed, _packed), cells);
        return cells;
    }

    private void Write(int stream, ReadOnlySpan<byte> obs)
    {
        if (obs.Length != Channels * Cells)
            throw new ArgumentException(
                $"observation has {obs.Length} cells, this game has {Channels * Cells} ({Channels} channels x 100)", nameof(obs));
        int slot = SlotIndex(stream, _head[stream]);
        if ((_flags[slot] & Startable) != 0) Count--;
        _flags[slot] = 0;
        BitPacking.Pack(obs, _obs.AsSpan(slot * _packed, _packed));
        _head[stream] = (_head[stream] + 1) % _slotsPerStream;
        _filled[stream] = Math.Min(_filled[stream] + 1, _slotsPerStream);
    }

    private int SlotIndex(int stream, int slot) => stream * _slotsPerStream + slot;

    /// <summary>The ring's complete contents (the arrays themselves, not copies), for checkpoints.</summary>
    public ReplayContents Export() =>
        new(_streams, _slotsPerStream, Channels, Count, _head, _filled, _open, _obs, _actions, _rewards, _flags);

    /// <summary>
    /// Restores contents saved by <see cref="Export"/> into this identically shaped buffer (copying them); throws
    /// <see cref="InvalidDataException"/> naming what does not fit.
    /// </summary>
    public void Import(ReplayContents c)
    {
        if (c.Streams != _streams || c.SlotsPerStream != _slotsPerStream || c.Channels != Channels)
            throw new InvalidDataException(
                $"replay shape {c.Streams} streams x {c.SlotsPerStream} slots x {c.Channels} channels, expected " +
                $"{_streams} x {_slotsPerStream} x {Channels}");
        if (c.Heads.Length != _streams || c.Filled.Length != _streams || c.Open.Length != _streams
            || c.Observations.Length != _obs.Length || c.Actions.Length != _actions.Length || c.Rewards.Length != _rewards.Length
            || c.Flags.Length != _flags.Length)
            throw new InvalidDataException("replay arrays have the wrong lengths for its shape");
        if (c.Count < 0 || c.Count > Capacity) throw new InvalidDataException($"replay count {c.Count} outside 0..{Capacity}");
        for (int s = 0; s < _streams; s++)
            if ((uint)c.Heads[s] >= (uint)_slotsPerStream || (uint)c.Filled[s] > (uint)_slotsPerStream)
                throw new InvalidDataException($"replay head {c.Heads[s]} or fill {c.Filled[s]} outside 0..{_slotsPerStream}");
        int startable = 0;
        foreach (byte f in c.Flags) if ((f & Startable) != 0) startable++;
        if (startable != c.Count) throw new InvalidDataException($"replay count {c.Count} disagrees with its {startable} startable slots");
        c.Heads.CopyTo(_head, 0);
        c.Filled.CopyTo(_filled, 0);
        c.Open.CopyTo(_open, 0);
        c.Observations.CopyTo(_obs, 0);
        c.Actions.CopyTo(_actions, 0);
        c.Rewards.CopyTo(_rewards, 0);
        c.Flags.CopyTo(_flags, 0);
        Count = c.Count;
    }
}

/// <summary>A replay ring's complete state: shape, counters, and the per-slot arrays.</summary>
public sealed record ReplayContents(int Streams, int SlotsPerStream, int Channels, int Count, int[] Heads, int[] Filled, bool[] Open,
    byte[] Observations, byte[] Actions, float[] Rewards, byte[] Flags);
