namespace MtlAgent.Envs;

/// <summary>
/// numpy's legacy <c>RandomState</c>: MT19937 with <c>init_genrand</c> seeding, <c>rand()</c> and
/// <c>randint(low, high)</c> drawing exactly the 32-bit outputs numpy draws (spec 4.7), so a seeded
/// game reproduces the upstream trajectories bit for bit.
/// </summary>
public sealed class RandomState
{
    private const int N = 624;
    private const int M = 397;
    private readonly uint[] _mt = new uint[N];
    private int _index;

    /// <summary>Seeds like <c>numpy.random.RandomState(seed)</c>.</summary>
    public RandomState(uint seed) => Seed(seed);

    /// <summary>Seeds from OS entropy (like <c>RandomState()</c>; the stream is not reproducible).</summary>
    public RandomState() : this(BitConverter.ToUInt32(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))) { }

    /// <summary>Re-seeds in place with <c>init_genrand</c>; the first draw then performs a full twist.</summary>
    public void Seed(uint seed)
    {
        _mt[0] = seed;
        for (uint i = 1; i < N; i++)
            _mt[i] = 1812433253u * (_mt[i - 1] ^ (_mt[i - 1] >> 30)) + i;
        _index = N;
    }

    /// <summary>Next tempered 32-bit output.</summary>
    public uint NextUInt32()
    {
        if (_index >= N) Twist();
        uint y = _mt[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C5680u;
        y ^= (y << 15) & 0xEFC60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary>numpy <c>rand()</c>: a double in [0, 1) from two 32-bit outputs (53 bits).</summary>
    public double Rand()
    {
        uint a = NextUInt32() >> 5, b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /// <summary>numpy <c>randint(low, high)</c>: uniform on <c>low .. high-1</c> by masked rejection.</summary>
    public int RandInt(int low, int high)
    {
        if (high <= low) throw new ArgumentOutOfRangeException(nameof(high), $"randint needs low < high, got [{low}, {high})");
        uint range = (uint)(high - low - 1);
        if (range == 0) return low;
        uint mask = range;
        mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16;
        uint v;
        do v = NextUInt32() & mask; while (v > range);
        return low + (int)v;
    }

    private void Twist()
    {
        uint[] mt = _mt;
        int k;
        for (k = 0; k < N - M; k++)
        {
            uint y = (mt[k] & 0x80000000u) | (mt[k + 1] & 0x7fffffffu);
            mt[k] = mt[k + M] ^ (y >> 1) ^ ((y & 1u) * 0x9908B0DFu);
        }
        for (; k < N - 1; k++)
        {
            uint y = (mt[k] & 0x80000000u) | (mt[k + 1] & 0x7fffffffu);
            mt[k] = mt[k + (M - N)] ^ (y >> 1) ^ ((y & 1u) * 0x9908B0DFu);
        }
        uint last = (mt[N - 1] & 0x80000000u) | (mt[0] & 0x7fffffffu);
        mt[N - 1] = mt[M - 1] ^ (last >> 1) ^ ((last & 1u) * 0x9908B0DFu);
        _index = 0;
    }

    /// <summary>Writes the full generator state (624 words and the position).</summary>
    internal void Save(BinaryWriter w)
    {
        foreach (uint v in _mt) w.Write(v);
        w.Write(_index);
    }

    /// <summary>Restores a state written by <see cref="Save"/>.</summary>
    internal void Load(BinaryReader r)
    {
        for (int i = 0; i < N; i++) _mt[i] = r.ReadUInt32();
        int index = r.ReadInt32();
        if (index < 0 || index > N) throw new InvalidDataException($"bad Mersenne Twister position {index}; expected 0..{N}");
        _index = index;
    }
}
