using MtlAgent.Envs.Games;

namespace MtlAgent.Envs;

/// <summary>
/// One MinAtar game behind the Gymnasium API, with the original wrapper's rules (spec 4): a sticky
/// draw on every step, <c>last_action</c> kept across resets, and once seeded one
/// <see cref="RandomState"/> shared by the sticky draws and the game.
/// </summary>
public sealed class MinAtarEnv : IEnv
{
    private static readonly IReadOnlyDictionary<string, object> EmptyInfo = new Dictionary<string, object>();
    private const string StateMagic = "MtlAgent.MinAtarEnv/1";

    private RandomState _stickyRng;
    private readonly int[] _fullActions;
    private bool _needsReset = true;

    internal MinAtarEnv(EnvSpec spec, EnvOptions options, Func<RandomState, Game> createGame)
    {
        Spec = spec;
        Options = options;
        _fullActions = spec.FullActions.ToArray();
        _stickyRng = new RandomState();
        // Unseeded, the game owns an independent generator, as upstream (spec 4.7).
        Game = createGame(new RandomState());
        ActionSpace = new DiscreteSpace(spec.ActionCount);
        ObservationSpace = new BoxSpace([spec.Channels, 10, 10]);
    }

    /// <summary>The game's rules and state (tests set states directly).</summary>
    internal Game Game { get; }

    /// <summary>What this id stands for.</summary>
    public EnvSpec Spec { get; }

    /// <summary>The parameters it was made with.</summary>
    public EnvOptions Options { get; }

    /// <inheritdoc/>
    public string Id => Spec.Id;

    /// <inheritdoc/>
    public DiscreteSpace ActionSpace { get; }

    /// <inheritdoc/>
    public BoxSpace ObservationSpace { get; }

    /// <summary>Bytes of one observation (C*100).</summary>
    public int ObservationSize => Spec.Channels * 100;

    /// <summary>Full-set index of the last applied action (after stickiness); survives resets.</summary>
    public int LastAction { get; private set; }

    /// <summary>Steps taken in the current episode.</summary>
    public int EpisodeStep { get; private set; }

    /// <summary>Sum of rewards in the current episode.</summary>
    public double EpisodeReturn { get; private set; }

    /// <summary>Whether the episode has ended (or not started): the next call must be <see cref="Reset"/>.</summary>
    public bool NeedsReset => _needsReset;

    /// <summary>The difficulty ramp counter, or null for Breakout and Freeway (spec 4.6).</summary>
    public int? DifficultyRamp => Game.RampIndex;

    /// <summary>The original's <c>seed(s)</c>: one new <c>RandomState(s)</c> used by sticky draws and the game.</summary>
    public void Seed(uint seed)
    {
        var rng = new RandomState(seed);
        _stickyRng = rng;
        Game.Rng = rng;
    }

    /// <inheritdoc/>
    public (byte[] Observation, IReadOnlyDictionary<string, object> Info) Reset(int? seed = null)
    {
        if (seed is { } s)
        {
            if (s < 0) throw new ArgumentOutOfRangeException(nameof(seed), s, "seed must be non-negative");
            Seed((uint)s);
        }
        ResetInPlace();
        var obs = new byte[ObservationSize];
        Game.WriteObservation(obs);
        return (obs, EmptyInfo);
    }

    /// <inheritdoc/>
    public void ResetInPlace()
    {
        Game.Reset();
        EpisodeStep = 0;
        EpisodeReturn = 0;
        _needsReset = false;
    }

    /// <inheritdoc/>
    public StepResult Step(int action)
    {
        StepStatus s = StepInPlace(action);
        var obs = new byte[ObservationSize];
        Game.WriteObservation(obs);
        var info = new Dictionary<string, object> { ["applied_action"] = LastAction, ["episode_step"] = EpisodeStep };
        return new StepResult(obs, s.Reward, s.Terminated, s.Truncated, info);
    }

    /// <inheritdoc/>
    public StepStatus StepInPlace(int action)
    {
        if ((uint)action >= (uint)_fullActions.Length)
            throw new ArgumentOutOfRangeException(nameof(action), action, $"action must be in 0..{_fullActions.Length - 1} for {Id}");
        if (_needsReset)
            throw new InvalidOperationException(EpisodeStep == 0
                ? $"{Id}: call Reset before the first Step"
                : $"{Id}: the episode has ended; call Reset before stepping again");
        int reward = Act(_fullActions[action]);
        EpisodeStep++;
        EpisodeReturn += reward;
        bool terminated = Game.Terminal;
        bool truncated = !terminated && Options.MaxEpisodeSteps is { } cap && EpisodeStep >= cap;
        if (terminated || truncated) _needsReset = true;
        return new StepStatus(reward, terminated, truncated);
    }

    /// <summary>The original's <c>act(a)</c> on a full-set index: sticky draw first, then one game step.</summary>
    internal int Act(int fullAction)
    {
        if (_stickyRng.Rand() < Options.StickyActionProb) fullAction = LastAction;
        LastAction = fullAction;
        return Game.Step(fullAction);
    }

    /// <inheritdoc/>
    public void WriteObservation(Span<byte> destination)
    {
        if (destination.Length < ObservationSize)
            throw new ArgumentException(
                $"observation buffer holds {destination.Length} bytes; {Id} needs {ObservationSize}", nameof(destination));
        Game.WriteObservation(destination);
    }

    /// <inheritdoc/>
    public byte[] GetState()
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms))
        {
            w.Write(StateMagic);
            w.Write(Id);
            w.Write(Options.StickyActionProb);
            w.Write(Options.DifficultyRamping);
            w.Write(Options.MaxEpisodeSteps ?? 0);
            bool shared = ReferenceEquals(_stickyRng, Game.Rng);
            w.Write(shared);
            _stickyRng.Save(w);
            if (!shared) Game.Rng.Save(w);
            w.Write(LastAction);
            w.Write(EpisodeStep);
            w.Write(EpisodeReturn);
            w.Write(_needsReset);
            Game.Save(w);
        }
        return ms.ToArray();
    }

    /// <inheritdoc/>
    public void SetState(byte[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        // Game.Load writes as it reads; keep the current state to roll back a malformed one.
        byte[] backup = GetState();
        try
        {
            Load(state);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or InvalidDataException or FormatException)
        {
            Load(backup);
            throw new ArgumentException($"malformed {Id} state ({state.Length} bytes): {e.Message}", nameof(state), e);
        }
    }

    private void Load(byte[] state)
    {
        using var r = new BinaryReader(new MemoryStream(state, writable: false));
        string magic = r.ReadString();
        if (magic != StateMagic)
            throw new InvalidDataException($"not an environment state (header '{Truncate(magic)}'; expected '{StateMagic}')");
        string id = r.ReadString();
        if (id != Id) throw new InvalidDataException($"state belongs to {id}; this environment is {Id}");
        double sticky = r.ReadDouble();
        bool ramping = r.ReadBoolean();
        int cap = r.ReadInt32();
        if (sticky != Options.StickyActionProb || ramping != Options.DifficultyRamping || cap != (Options.MaxEpisodeSteps ?? 0))
            throw new InvalidDataException(
                $"state was saved with options (sticky {sticky}, ramping {ramping}, cap {cap}) that differ from this environment's");
        bool shared = r.ReadBoolean();
        var stickyRng = new RandomState(0);
        stickyRng.Load(r);
        var gameRng = stickyRng;
        if (!shared) { gameRng = new RandomState(0); gameRng.Load(r); }
        int lastAction = r.ReadInt32();
        if (lastAction is < 0 or > 5) throw new InvalidDataException($"bad last action {lastAction} in saved state; expected 0..5");
        int step = r.ReadInt32();
        double ret = r.ReadDouble();
        bool needsReset = r.ReadBoolean();
        Game.Load(r);
        if (r.BaseStream.Position != state.Length)
            throw new InvalidDataException($"{state.Length - r.BaseStream.Position} unexpected trailing bytes");
        _stickyRng = stickyRng;
        Game.Rng = gameRng;
        LastAction = lastAction;
        EpisodeStep = step;
        EpisodeReturn = ret;
        _needsReset = needsReset;
    }

    private static string Truncate(string s) => s.Length > 40 ? s[..40] + "..." : s;

    /// <inheritdoc/>
    public void Dispose() { }
}
