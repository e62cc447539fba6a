namespace MtlAgent.Envs.Games;

/// <summary>Asterix (spec 6): dodge enemies and collect treasure, one entity per row 1..8.</summary>
internal sealed class Asterix : Game
{
    private const int RampInterval = 100, InitSpawnPeriod = 10, InitMovePeriod = 5;

    /// <summary>One entity slot (row = slot + 1).</summary>
    internal struct Slot
    {
        internal bool Occupied, MovingRight, IsGold;
        internal int X;
    }

    internal int PlayerX, PlayerY;
    internal readonly Slot[] Slots = new Slot[8];
    internal int SpawnPeriod, SpawnTimer, MovePeriod, MoveTimer, RampTimer, Ramp;
    private readonly int[] _free = new int[8];

    internal Asterix(RandomState rng, bool ramping) : base(rng, ramping) { }

    internal override int Channels => 4;
    internal override int? RampIndex => Ramp;

    internal override void Reset()
    {
        PlayerX = 5; PlayerY = 5;
        Array.Clear(Slots);
        SpawnPeriod = InitSpawnPeriod; SpawnTimer = InitSpawnPeriod;
        MovePeriod = InitMovePeriod; MoveTimer = InitMovePeriod;
        RampTimer = RampInterval; Ramp = 0;
        Terminal = false;
    }

    internal override int Step(int action)
    {
        if (Terminal) return 0;
        int reward = 0;
        if (SpawnTimer == 0)
        {
            Spawn();
            SpawnTimer = SpawnPeriod;
        }
        switch (action)
        {
            case Left: PlayerX = Math.Max(0, PlayerX - 1); break;
            case Right: PlayerX = Math.Min(9, PlayerX + 1); break;
            case Up: PlayerY = Math.Max(1, PlayerY - 1); break;
            case Down: PlayerY = Math.Min(8, PlayerY + 1); break;
        }
        // Slots 0..7 in order, but only the slot in the player's row can touch the player.
        reward += Contact(PlayerY - 1);
        if (MoveTimer == 0)
        {
            MoveTimer = MovePeriod;
            for (int i = 0; i < 8; i++)
            {
                ref Slot s = ref Slots[i];
                if (!s.Occupied) continue;
                s.X += s.MovingRight ? 1 : -1;
                if (s.X < 0 || s.X > 9) s.Occupied = false;
                else reward += Contact(i);
            }
        }
        SpawnTimer--;
        MoveTimer--;
        if (Ramping && (SpawnPeriod > 1 || MovePeriod > 1))
        {
            if (RampTimer >= 0) RampTimer--;
            else
            {
                if (MovePeriod > 1 && Ramp % 2 == 1) MovePeriod--;
                if (SpawnPeriod > 1) SpawnPeriod--;
                Ramp++;
                RampTimer = RampInterval;
            }
        }
        return reward;
    }

    /// <summary>Gold on the player's cell is collected (+1); an enemy there ends the episode.</summary>
    private int Contact(int i)
    {
        ref Slot s = ref Slots[i];
        if (!s.Occupied || s.X != PlayerX || i + 1 != PlayerY) return 0;
        if (s.IsGold) { s.Occupied = false; return 1; }
        Terminal = true;
        return 0;
    }

    private void Spawn()
    {
        bool right = Rng.Rand() < 0.5;
        bool gold = Rng.Rand() < 1.0 / 3.0;
        int n = 0;
        for (int i = 0; i < 8; i++) if (!Slots[i].Occupied) _free[n++] = i;
        if (n == 0) return;
        int slot = _free[Rng.RandInt(0, n)];
        Slots[slot] = new Slot { Occupied = true, MovingRight = right, IsGold = gold, X = right ? 0 : 9 };
    }

    internal override void WriteObservation(Span<byte> obs)
    {
        obs[..400].Clear();
        Set(obs, 0, PlayerY, PlayerX);
        for (int i = 0; i < 8; i++)
        {
            Slot s = Slots[i];
            if (!s.Occupied) continue;
            Set(obs, s.IsGold ? 3 : 1, i + 1, s.X);
            int back = s.MovingRight ? s.X - 1 : s.X + 1;
            if (back >= 0 && back <= 9) Set(obs, 2, i + 1, back);
        }
    }

    internal override void Save(BinaryWriter w)
    {
        w.Write(PlayerX); w.Write(PlayerY);
        foreach (Slot s in Slots) { w.Write(s.Occupied); w.Write(s.MovingRight); w.Write(s.IsGold); w.Write(s.X); }
        w.Write(SpawnPeriod); w.Write(SpawnTimer); w.Write(MovePeriod); w.Write(MoveTimer);
        w.Write(RampTimer); w.Write(Ramp); w.Write(Terminal);
    }

    internal override void Load(BinaryReader r)
    {
        PlayerX = ReadCell(r, "player column"); PlayerY = ReadCell(r, "player row", 1, 8);
        for (int i = 0; i < 8; i++)
            Slots[i] = new Slot
            {
                Occupied = r.ReadBoolean(), MovingRight = r.ReadBoolean(), IsGold = r.ReadBoolean(),
                X = ReadCell(r, "entity column", -1, 10), // a slot freed by moving off-screen keeps X = -1 or 10
            };
        SpawnPeriod = r.ReadInt32(); SpawnTimer = r.ReadInt32(); MovePeriod = r.ReadInt32(); MoveTimer = r.ReadInt32();
        RampTimer = r.ReadInt32(); Ramp = r.ReadInt32(); Terminal = r.ReadBoolean();
    }
}
