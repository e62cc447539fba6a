namespace MtlAgent.Agent.Randomness;

/// <summary>
/// xoshiro256** (Blackman and Vigna), the agent's own seeded generator. Its whole state is four
/// words, so checkpoints can save and restore it exactly; System.Random cannot do that.
/// </summary>
public sealed class Xoshiro256
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>A generator seeded from <paramref name="seed"/> through SplitMix64, as the authors recommend.</summary>
    public Xoshiro256(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>
    /// A generator for stream <paramref name="stream"/> of master seed <paramref name="seed"/>, independent of other streams.
    /// </summary>
    public static Xoshiro256 ForStream(int seed, string stream)
    {
        // FNV-1a of the stream name keeps streams apart without a registry of numbers.
        ulong h = 14695981039346656037UL;
        foreach (char c in stream) { h ^= c; h *= 1099511628211UL; }
        ulong x = (ulong)(uint)seed ^ h;
        return new Xoshiro256(SplitMix64(ref x));
    }

    /// <summary>
    /// Game <paramref name="game"/>'s own generator for stream <paramref name="stream"/>: game 0 draws from the plain stream (so
    /// a one-game run keeps its numbers), game g from <c>stream/g</c>. One stream per game keeps each game's draws the same
    /// whatever the other games do.
    /// </summary>
    public static Xoshiro256 ForGameStream(int seed, string stream, int game) =>
        ForStream(seed, game == 0 ? stream : $"{stream}/{game}");

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform integer in [0, <paramref name="bound"/>), unbiased (Lemire's multiply-and-reject).</summary>
    public int NextInt(int bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound), bound, "bound must be positive");
        ulong b = (ulong)bound;
        UInt128 m = (UInt128)NextUInt64() * b;
        ulong low = (ulong)m;
        if (low < b)
        {
            ulong threshold = (0UL - b) % b;
            while (low < threshold)
            {
                m = (UInt128)NextUInt64() * b;
                low = (ulong)m;
            }
        }
        return (int)(m >> 64);
    }

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A 32-bit seed for another component (an environment, a weight initialiser).</summary>
    public int NextSeed() => (int)(NextUInt64() >> 33);

    /// <summary>The four state words, for checkpoints.</summary>
    public ulong[] GetState() => [_s0, _s1, _s2, _s3];

    /// <summary>Restores a state returned by <see cref="GetState"/>.</summary>
    public void SetState(IReadOnlyList<ulong> state)
    {
        if (state.Count != 4) throw new ArgumentException($"xoshiro256 state has 4 words, got {state.Count}", nameof(state));
        if (state.All(w => w == 0)) throw new ArgumentException("xoshiro256 state must not be all zero", nameof(state));
        (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
