namespace MtlAgent.Envs.Games;

/// <summary>
/// One MinAtar game's rules (spec sections 5-9): state, a step on a full-set action, and the
/// channels-first observation. Sticky actions and seeding live in <see cref="MinAtarEnv"/>.
/// </summary>
internal abstract class Game
{
    /// <summary>Full-set action indices (spec 3).</summary>
    internal const int Noop = 0, Left = 1, Up = 2, Right = 3, Down = 4, Fire = 5;

    /// <summary>The generator the game draws from (shared with the sticky draws once seeded).</summary>
    internal RandomState Rng;

    /// <summary>Whether the difficulty ramps (Asterix, Seaquest, Space Invaders only).</summary>
    internal readonly bool Ramping;

    /// <summary>Set when the episode has ended; a step then changes nothing.</summary>
    internal bool Terminal;

    protected Game(RandomState rng, bool ramping)
    {
        Rng = rng;
        Ramping = ramping;
    }

    /// <summary>Number of observation channels.</summary>
    internal abstract int Channels { get; }

    /// <summary>The ramp counter, or null for games without ramping (spec 4.6).</summary>
    internal virtual int? RampIndex => null;

    /// <summary>Starts a new episode (may draw random numbers).</summary>
    internal abstract void Reset();

    /// <summary>One step on a full-set action; returns the reward.</summary>
    internal abstract int Step(int action);

    /// <summary>Writes the observation, channels-first <c>[C, 10, 10]</c>, into a buffer of C*100 bytes.</summary>
    internal abstract void WriteObservation(Span<byte> obs);

    /// <summary>Writes every game variable.</summary>
    internal abstract void Save(BinaryWriter w);

    /// <summary>Restores the variables written by <see cref="Save"/>.</summary>
    internal abstract void Load(BinaryReader r);

    /// <summary>Sets cell (y, x) of channel c in a channels-first observation.</summary>
    protected static void Set(Span<byte> obs, int c, int y, int x) => obs[c * 100 + y * 10 + x] = 1;

    /// <summary>Reads a 0..9 coordinate from saved state, rejecting anything else.</summary>
    protected static int ReadCell(BinaryReader r, string what, int min = 0, int max = 9)
    {
        int v = r.ReadInt32();
        if (v < min || v > max) throw new InvalidDataException($"bad {what} {v} in saved state; expected {min}..{max}");
        return v;
    }

    /// <summary>Reads a list count, rejecting absurd values.</summary>
    protected static int ReadCount(BinaryReader r, string what, int max = 1000)
    {
        int n = r.ReadInt32();
        if (n < 0 || n > max) throw new InvalidDataException($"bad {what} count {n} in saved state; expected 0..{max}");
        return n;
    }
}
