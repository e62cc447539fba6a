namespace MtlAgent.Envs;

/// <summary>
/// N copies of one game stepped together with auto-reset. Observations land in one contiguous
/// buffer <c>[N, C, 10, 10]</c> ready for a single tensor copy. Seeding: with a seed <c>s</c>, the
/// first <see cref="Reset(int?)"/> seeds copy <c>i</c> with <c>RandomState((s + i) mod 2^32)</c>, exactly
/// like <c>Make(id).Reset(s + i)</c>; later episodes continue each copy's stream without re-seeding.
/// </summary>
public sealed class VectorEnv : IDisposable
{
    private const string StateMagic = "MtlAgent.VectorEnv/1";
    private readonly MinAtarEnv[] _envs;
    private readonly List<EpisodeEnd> _episodeEnds = [];
    private long? _pendingSeed;

    /// <summary>Creates <paramref name="numEnvs"/> copies of <paramref name="id"/>.</summary>
    public VectorEnv(string id, int numEnvs, EnvOptions? options = null, int? seed = null)
    {
        if (numEnvs <= 0) throw new ArgumentOutOfRangeException(nameof(numEnvs), numEnvs, "number of environments must be positive");
        if (seed is < 0) throw new ArgumentOutOfRangeException(nameof(seed), seed, "seed must be non-negative");
        _envs = new MinAtarEnv[numEnvs];
        for (int i = 0; i < numEnvs; i++) _envs[i] = EnvRegistry.Make(id, options);
        Spec = _envs[0].Spec;
        ObservationSize = _envs[0].ObservationSize;
        Observations = new byte[numEnvs * ObservationSize];
        FinalObservations = new byte[numEnvs * ObservationSize];
        Rewards = new float[numEnvs];
        Terminated = new bool[numEnvs];
        Truncated = new bool[numEnvs];
        _pendingSeed = seed;
    }

    /// <summary>What the copies play.</summary>
    public EnvSpec Spec { get; }

    /// <summary>Number of copies N.</summary>
    public int NumEnvs => _envs.Length;

    /// <summary>Bytes per observation (C*100).</summary>
    public int ObservationSize { get; }

    /// <summary>Agent actions of every copy.</summary>
    public DiscreteSpace ActionSpace => _envs[0].ActionSpace;

    /// <summary>Current observations <c>[N, C, 10, 10]</c> (after auto-reset for copies that finished).</summary>
    public byte[] Observations { get; }

    /// <summary>For copies whose episode ended in the last step: the observation before auto-reset, same layout.</summary>
    public byte[] FinalObservations { get; }

    /// <summary>Rewards of the last step.</summary>
    public float[] Rewards { get; }

    /// <summary>Which copies' games ended in the last step.</summary>
    public bool[] Terminated { get; }

    /// <summary>Which copies hit the step cap in the last step.</summary>
    public bool[] Truncated { get; }

    /// <summary>Episodes that finished in the last step (reused; copy what you keep).</summary>
    public IReadOnlyList<EpisodeEnd> EpisodeEnds => _episodeEnds;

    /// <summary>Copy <paramref name="index"/> (for inspection; stepping it directly desynchronises the buffers).</summary>
    public MinAtarEnv this[int index] => _envs[index];

    /// <summary>Starts an episode in every copy; a seed (or the constructor's, first time) seeds copy i with seed + i.</summary>
    public byte[] Reset(int? seed = null)
    {
        if (seed is < 0) throw new ArgumentOutOfRangeException(nameof(seed), seed, "seed must be non-negative");
        long? s = seed ?? _pendingSeed;
        _pendingSeed = null;
        for (int i = 0; i < _envs.Length; i++)
        {
            if (s is { } baseSeed) _envs[i].Seed((uint)((baseSeed + i) & 0xFFFFFFFF));
            _envs[i].ResetInPlace();
            _envs[i].WriteObservation(ObservationSpan(Observations, i));
        }
        Array.Clear(Rewards);
        Array.Clear(Terminated);
        Array.Clear(Truncated);
        _episodeEnds.Clear();
        return Observations;
    }

    /// <summary>Starts an episode in every copy, copy i seeded with <paramref name="seeds"/>[i] (each non-negative).</summary>
    public byte[] Reset(IReadOnlyList<int> seeds)
    {
        if (seeds.Count != _envs.Length)
            throw new ArgumentException($"got {seeds.Count} seeds for {_envs.Length} environments", nameof(seeds));
        if (seeds.Any(s => s < 0)) throw new ArgumentOutOfRangeException(nameof(seeds), "seeds must be non-negative");
        _pendingSeed = null;
        for (int i = 0; i < _envs.Length; i++) _envs[i].Seed((uint)seeds[i]);
        Reset();
        return Observations;
    }

    /// <summary>Observation of copy <paramref name="index"/> in <see cref="Observations"/>.</summary>
    public ReadOnlyMemory<byte> ObservationOf(int index) => Observations.AsMemory(index * ObservationSize, ObservationSize);

    /// <summary>
    /// The observation copy <paramref name="index"/> ended its last step with: <see cref="FinalObservations"/> when its
    /// episode ended, else the current one.
    /// </summary>
    public ReadOnlySpan<byte> NextObservationOf(int index) =>
        (Terminated[index] || Truncated[index] ? FinalObservations : Observations).AsSpan(index * ObservationSize, ObservationSize);

    /// <summary>Steps every copy with its action; finished copies are reset and reported in <see cref="EpisodeEnds"/>.</summary>
    public void Step(ReadOnlySpan<int> actions)
    {
        if (actions.Length != _envs.Length)
            throw new ArgumentException($"got {actions.Length} actions for {_envs.Length} environments", nameof(actions));
        _episodeEnds.Clear();
        for (int i = 0; i < _envs.Length; i++)
        {
            MinAtarEnv env = _envs[i];
            StepStatus s = env.StepInPlace(actions[i]);
            Rewards[i] = s.Reward;
            Terminated[i] = s.Terminated;
            Truncated[i] = s.Truncated;
            Span<byte> obs = ObservationSpan(Observations, i);
            if (s.Done)
            {
                env.WriteObservation(ObservationSpan(FinalObservations, i));
                _episodeEnds.Add(new EpisodeEnd(i, env.EpisodeReturn, env.EpisodeStep, s.Truncated));
                env.ResetInPlace();
            }
            env.WriteObservation(obs);
        }
    }

    private Span<byte> ObservationSpan(byte[] buffer, int i) => buffer.AsSpan(i * ObservationSize, ObservationSize);

    /// <summary>Complete state of every copy (see <see cref="MinAtarEnv.GetState"/>).</summary>
    public byte[] GetState()
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms))
        {
            w.Write(StateMagic);
            w.Write(Spec.Id);
            w.Write(_envs.Length);
            w.Write(_pendingSeed ?? -1);
            foreach (MinAtarEnv env in _envs)
            {
                byte[] s = env.GetState();
                w.Write(s.Length);
                w.Write(s);
            }
        }
        return ms.ToArray();
    }

    /// <summary>Restores a state from <see cref="GetState"/> and rewrites <see cref="Observations"/>.</summary>
    public void SetState(byte[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        byte[][] parts;
        long pending;
        try
        {
            using var r = new BinaryReader(new MemoryStream(state, writable: false));
            string magic = r.ReadString();
            if (magic != StateMagic) throw new InvalidDataException($"not a vector environment state (expected header '{StateMagic}')");
            string id = r.ReadString();
            if (id != Spec.Id) throw new InvalidDataException($"state belongs to {id}; this vector environment plays {Spec.Id}");
            int n = r.ReadInt32();
            if (n != _envs.Length)
                throw new InvalidDataException($"state holds {n} environments; this vector environment has {_envs.Length}");
            pending = r.ReadInt64();
            parts = new byte[n][];
            for (int i = 0; i < n; i++)
            {
                int len = r.ReadInt32();
                if (len < 0 || len > state.Length) throw new InvalidDataException($"bad length {len} of environment {i}'s state");
                parts[i] = r.ReadBytes(len);
                if (parts[i].Length != len) throw new EndOfStreamException();
            }
            if (r.BaseStream.Position != state.Length) throw new InvalidDataException("unexpected trailing bytes");
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or InvalidDataException or FormatException)
        {
            throw new ArgumentException($"malformed vector environment state ({state.Length} bytes): {e.Message}", nameof(state), e);
        }
        SetCopyStates(parts);
        _pendingSeed = pending >= 0 ? pending : null;
    }

    /// <summary>
    /// Restores every copy from <paramref name="states"/>[i] (<see cref="MinAtarEnv.GetState"/> of copy i) and rewrites
    /// <see cref="Observations"/>; all or nothing. A seed still pending from the constructor is kept.
    /// </summary>
    public void SetCopyStates(IReadOnlyList<byte[]> states)
    {
        if (states.Count != _envs.Length)
            throw new ArgumentException($"got {states.Count} states for {_envs.Length} environments", nameof(states));
        byte[][] backup = _envs.Select(e => e.GetState()).ToArray();
        try
        {
            for (int i = 0; i < _envs.Length; i++) _envs[i].SetState(states[i]);
        }
        catch
        {
            for (int i = 0; i < _envs.Length; i++) _envs[i].SetState(backup[i]);
            throw;
        }
        for (int i = 0; i < _envs.Length; i++) _envs[i].WriteObservation(ObservationSpan(Observations, i));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (MinAtarEnv env in _envs) env.Dispose();
    }
}
