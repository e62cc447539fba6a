namespace MtlAgent.Envs.Games;

/// <summary>Freeway (spec 7): a chicken crosses eight lanes of wrapping cars; 2501 steps per episode.</summary>
internal sealed class Freeway : Game
{
    private const int MoveCooldownPeriod = 3, TimeLimit = 2500;

    internal int Pos, MoveCooldown, TimeLeft;
    /// <summary>Per car (row = index + 1): column, countdown, signed speed (|s| larger = slower).</summary>
    internal readonly int[] CarX = new int[8], CarT = new int[8], CarS = new int[8];
    private readonly int[] _magnitudes = new int[8];

    internal Freeway(RandomState rng, bool ramping) : base(rng, ramping) { }

    internal override int Channels => 7;

    internal override void Reset()
    {
        RandomizeCars(resetPositions: true);
        Pos = 9;
        MoveCooldown = MoveCooldownPeriod;
        TimeLeft = TimeLimit;
        Terminal = false;
    }

    /// <summary>Draws all eight magnitudes first, then all eight directions (spec 7.3).</summary>
    private void RandomizeCars(bool resetPositions)
    {
        for (int i = 0; i < 8; i++) _magnitudes[i] = Rng.RandInt(1, 6);
        for (int i = 0; i < 8; i++)
        {
            double u = Rng.Rand();
            int d = u > 0.5 ? 1 : u < 0.5 ? -1 : 0;
            CarS[i] = _magnitudes[i] * d;
            CarT[i] = Math.Abs(CarS[i]);
            if (resetPositions) CarX[i] = 0;
        }
    }

    internal override int Step(int action)
    {
        if (Terminal) return 0;
        int reward = 0;
        if (action == Up && MoveCooldown == 0) { Pos = Math.Max(0, Pos - 1); MoveCooldown = MoveCooldownPeriod; }
        else if (action == Down && MoveCooldown == 0) { Pos = Math.Min(9, Pos + 1); MoveCooldown = MoveCooldownPeriod; }
        if (Pos == 0)
        {
            reward = 1;
            RandomizeCars(resetPositions: false);
            Pos = 9;
        }
        for (int i = 0; i < 8; i++)
        {
            int row = i + 1;
            if (CarX[i] == 4 && row == Pos) Pos = 9;
            if (CarT[i] == 0)
            {
                CarT[i] = Math.Abs(CarS[i]);
                int x = CarX[i] + Math.Sign(CarS[i]);
                CarX[i] = x < 0 ? 9 : x > 9 ? 0 : x;
                if (CarX[i] == 4 && row == Pos) Pos = 9;
            }
            else CarT[i]--;
        }
        MoveCooldown = Math.Max(0, MoveCooldown - 1);
        TimeLeft--;
        if (TimeLeft < 0) Terminal = true;
        return reward;
    }

    internal override void WriteObservation(Span<byte> obs)
    {
        obs[..700].Clear();
        Set(obs, 0, Pos, 4);
        for (int i = 0; i < 8; i++)
        {
            int s = CarS[i], x = CarX[i];
            Set(obs, 1, i + 1, x);
            int back = s > 0 ? x - 1 : x + 1;
            back = back < 0 ? 9 : back > 9 ? 0 : back;
            Set(obs, 1 + Math.Abs(s), i + 1, back);
        }
    }

    internal override void Save(BinaryWriter w)
    {
        w.Write(Pos); w.Write(MoveCooldown); w.Write(TimeLeft); w.Write(Terminal);
        for (int i = 0; i < 8; i++) { w.Write(CarX[i]); w.Write(CarT[i]); w.Write(CarS[i]); }
    }

    internal override void Load(BinaryReader r)
    {
        Pos = ReadCell(r, "chicken row"); MoveCooldown = r.ReadInt32(); TimeLeft = r.ReadInt32(); Terminal = r.ReadBoolean();
        for (int i = 0; i < 8; i++)
        {
            CarX[i] = ReadCell(r, "car column"); CarT[i] = r.ReadInt32(); CarS[i] = ReadCell(r, "car speed", -5, 5);
        }
    }
}
