namespace MtlAgent.Envs.Games;

/// <summary>Seaquest (spec 8): a submarine shoots fish and subs, rescues divers, surfaces for oxygen.</summary>
internal sealed class Seaquest : Game
{
    private const int MaxOxygen = 200, InitSpawnPeriod = 20, DiverSpawnPeriod = 30, InitMovePeriod = 5;
    private const int ShotCooldownPeriod = 5, EnemyShotInterval = 10, DiverMovePeriod = 5;

    /// <summary>Anything that moves along a row: bullets (T, ShotT unused), fish, subs, divers.</summary>
    internal struct Mover
    {
        internal int X, Y, T, ShotT;
        internal bool Right;
        internal Mover(int x, int y, bool right, int t = 0, int shotT = 0) { X = x; Y = y; Right = right; T = t; ShotT = shotT; }
        internal readonly bool At(int x, int y) => X == x && Y == y;
        internal void Move() => X += Right ? 1 : -1;
        internal readonly bool Outside => X < 0 || X > 9;
    }

    internal int Sx, Sy, Oxygen, Divers, ShotCooldown, EnemySpawnPeriod, EnemySpawnTimer, DiverSpawnTimer, EnemyMovePeriod, Ramp;
    internal bool FacingRight, AtSurface;
    internal readonly List<Mover> PlayerBullets = [], EnemyBullets = [], Fish = [], Subs = [], DiverList = [];

    internal Seaquest(RandomState rng, bool ramping) : base(rng, ramping) { }

    internal override int Channels => 10;
    internal override int? RampIndex => Ramp;

    internal override void Reset()
    {
        Sx = 5; Sy = 0; FacingRight = false; Oxygen = MaxOxygen; Divers = 0; ShotCooldown = 0; AtSurface = true;
        PlayerBullets.Clear(); EnemyBullets.Clear(); Fish.Clear(); Subs.Clear(); DiverList.Clear();
        EnemySpawnPeriod = InitSpawnPeriod; EnemySpawnTimer = InitSpawnPeriod; DiverSpawnTimer = DiverSpawnPeriod;
        EnemyMovePeriod = InitMovePeriod; Ramp = 0;
        Terminal = false;
    }

    internal override int Step(int action)
    {
        if (Terminal) return 0;
        int reward = 0;
        if (EnemySpawnTimer == 0) { SpawnEnemy(); EnemySpawnTimer = EnemySpawnPeriod; }
        if (DiverSpawnTimer == 0) { SpawnDiver(); DiverSpawnTimer = DiverSpawnPeriod; }

        switch (action)
        {
            case Fire when ShotCooldown == 0:
                PlayerBullets.Add(new Mover(Sx, Sy, FacingRight));
                ShotCooldown = ShotCooldownPeriod;
                break;
            case Left: Sx = Math.Max(0, Sx - 1); FacingRight = false; break;
            case Right: Sx = Math.Min(9, Sx + 1); FacingRight = true; break;
            case Up: Sy = Math.Max(0, Sy - 1); break;
            case Down: Sy = Math.Min(8, Sy + 1); break;
        }

        reward += MovePlayerBullets();
        MoveDivers();
        reward += MoveSubs();
        MoveEnemyBullets();
        reward += MoveFish();

        if (EnemySpawnTimer > 0) EnemySpawnTimer--;
        if (DiverSpawnTimer > 0) DiverSpawnTimer--;
        if (ShotCooldown > 0) ShotCooldown--;

        if (Oxygen <= 0) Terminal = true;
        if (Sy > 0)
        {
            Oxygen--;
            AtSurface = false;
        }
        else if (!AtSurface)
        {
            if (Divers == 0) Terminal = true;
            else reward += Surface();
        }
        return reward;
    }

    private int MovePlayerBullets()
    {
        int reward = 0;
        for (int i = PlayerBullets.Count - 1; i >= 0; i--)
        {
            Mover b = PlayerBullets[i];
            b.Move();
            if (b.Outside) { PlayerBullets.RemoveAt(i); continue; }
            PlayerBullets[i] = b;
            int hit = IndexAt(Fish, b.X, b.Y);
            if (hit >= 0) { Fish.RemoveAt(hit); PlayerBullets.RemoveAt(i); reward++; continue; }
            hit = IndexAt(Subs, b.X, b.Y);
            if (hit >= 0) { Subs.RemoveAt(hit); PlayerBullets.RemoveAt(i); reward++; }
        }
        return reward;
    }

    private void MoveDivers()
    {
        for (int i = DiverList.Count - 1; i >= 0; i--)
        {
            Mover d = DiverList[i];
            if (d.At(Sx, Sy) && Divers < 6) { DiverList.RemoveAt(i); Divers++; continue; }
            if (d.T == 0)
            {
                d.T = DiverMovePeriod;
                d.Move();
                if (d.Outside) { DiverList.RemoveAt(i); continue; }
                if (d.At(Sx, Sy) && Divers < 6) { DiverList.RemoveAt(i); Divers++; continue; }
            }
            else d.T--;
            DiverList[i] = d;
        }
    }

    private int MoveSubs()
    {
        int reward = 0;
        for (int i = Subs.Count - 1; i >= 0; i--)
        {
            Mover s = Subs[i];
            bool removed = false;
            if (s.At(Sx, Sy)) Terminal = true;
            if (s.T == 0)
            {
                s.T = EnemyMovePeriod;
                s.Move();
                if (s.Outside) removed = true;
                else if (s.At(Sx, Sy)) Terminal = true;
                else
                {
                    int hit = IndexAt(PlayerBullets, s.X, s.Y);
                    if (hit >= 0) { PlayerBullets.RemoveAt(hit); removed = true; reward++; }
                }
            }
            else s.T--;
            // A sub fires even on the step it leaves the board or is shot (spec 8.6).
            if (s.ShotT == 0)
            {
                s.ShotT = EnemyShotInterval;
                EnemyBullets.Add(new Mover(s.X, s.Y, s.Right));
            }
            else s.ShotT--;
            if (removed) Subs.RemoveAt(i);
            else Subs[i] = s;
        }
        return reward;
    }

    private void MoveEnemyBullets()
    {
        for (int i = EnemyBullets.Count - 1; i >= 0; i--)
        {
            Mover b = EnemyBullets[i];
            if (b.At(Sx, Sy)) Terminal = true;
            b.Move();
            if (b.Outside) { EnemyBullets.RemoveAt(i); continue; }
            if (b.At(Sx, Sy)) Terminal = true;
            EnemyBullets[i] = b;
        }
    }

    private int MoveFish()
    {
        int reward = 0;
        for (int i = Fish.Count - 1; i >= 0; i--)
        {
            Mover f = Fish[i];
            if (f.At(Sx, Sy)) Terminal = true;
            if (f.T == 0)
            {
                f.T = EnemyMovePeriod;
                f.Move();
                if (f.Outside) { Fish.RemoveAt(i); continue; }
                if (f.At(Sx, Sy)) Terminal = true;
                else
                {
                    int hit = IndexAt(PlayerBullets, f.X, f.Y);
                    if (hit >= 0) { PlayerBullets.RemoveAt(hit); Fish.RemoveAt(i); reward++; continue; }
                }
            }
            else f.T--;
            Fish[i] = f;
        }
        return reward;
    }

    /// <summary>Oxygen refill, the 6-diver bonus and the ramp; leaves -1 divers after a full rescue (spec 8.6).</summary>
    private int Surface()
    {
        AtSurface = true;
        int bonus = 0;
        if (Divers == 6)
        {
            Divers = 0;
            bonus = Oxygen * 10 / MaxOxygen;
        }
        Oxygen = MaxOxygen;
        Divers--;
        if (Ramping && (EnemySpawnPeriod > 1 || EnemyMovePeriod > 2))
        {
            if (EnemyMovePeriod > 2 && Ramp % 2 == 1) EnemyMovePeriod--;
            if (EnemySpawnPeriod > 1) EnemySpawnPeriod--;
            Ramp++;
        }
        return bonus;
    }

    private void SpawnEnemy()
    {
        bool right = Rng.Rand() < 0.5;
        bool isSub = Rng.Rand() < 1.0 / 3.0;
        int y = Rng.RandInt(1, 9);
        int x = right ? 0 : 9;
        foreach (Mover f in Fish) if (f.Y == y && f.Right != right) return;
        foreach (Mover s in Subs) if (s.Y == y && s.Right != right) return;
        if (isSub) Subs.Add(new Mover(x, y, right, EnemyMovePeriod, EnemyShotInterval));
        else Fish.Add(new Mover(x, y, right, EnemyMovePeriod));
    }

    private void SpawnDiver()
    {
        bool right = Rng.Rand() < 0.5;
        int y = Rng.RandInt(1, 9);
        DiverList.Add(new Mover(right ? 0 : 9, y, right, DiverMovePeriod));
    }

    /// <summary>First item (first to last) on cell (x, y), or -1.</summary>
    private static int IndexAt(List<Mover> list, int x, int y)
    {
        for (int i = 0; i < list.Count; i++) if (list[i].At(x, y)) return i;
        return -1;
    }

    internal override void WriteObservation(Span<byte> obs)
    {
        obs[..1000].Clear();
        Set(obs, 0, Sy, Sx);
        Set(obs, 1, Sy, FacingRight ? Sx - 1 : Sx + 1);
        foreach (Mover b in PlayerBullets) Set(obs, 2, b.Y, b.X);
        foreach (Mover b in EnemyBullets) Set(obs, 4, b.Y, b.X);
        foreach (Mover f in Fish) { Set(obs, 5, f.Y, f.X); Trail(obs, f); }
        foreach (Mover s in Subs) { Set(obs, 6, s.Y, s.X); Trail(obs, s); }
        foreach (Mover d in DiverList) { Set(obs, 9, d.Y, d.X); Trail(obs, d); }
        int oxygenCells = Math.Max(0, Oxygen) * 10 / MaxOxygen;
        obs.Slice(700 + 90, oxygenCells).Fill(1);
        if (Divers > 0) obs.Slice(800 + 90 + 9 - Divers, Divers).Fill(1);
    }

    private static void Trail(Span<byte> obs, Mover m)
    {
        int back = m.Right ? m.X - 1 : m.X + 1;
        if (back >= 0 && back <= 9) Set(obs, 3, m.Y, back);
    }

    internal override void Save(BinaryWriter w)
    {
        w.Write(Sx); w.Write(Sy); w.Write(Oxygen); w.Write(Divers); w.Write(ShotCooldown);
        w.Write(EnemySpawnPeriod); w.Write(EnemySpawnTimer); w.Write(DiverSpawnTimer); w.Write(EnemyMovePeriod); w.Write(Ramp);
        w.Write(FacingRight); w.Write(AtSurface); w.Write(Terminal);
        foreach (var list in new[] { PlayerBullets, EnemyBullets, Fish, Subs, DiverList })
        {
            w.Write(list.Count);
            foreach (Mover m in list) { w.Write(m.X); w.Write(m.Y); w.Write(m.T); w.Write(m.ShotT); w.Write(m.Right); }
        }
    }

    internal override void Load(BinaryReader r)
    {
        Sx = ReadCell(r, "sub column"); Sy = ReadCell(r, "sub row", 0, 8); Oxygen = r.ReadInt32();
        Divers = ReadCell(r, "diver count", int.MinValue, 6); ShotCooldown = r.ReadInt32();
        EnemySpawnPeriod = r.ReadInt32(); EnemySpawnTimer = r.ReadInt32(); DiverSpawnTimer = r.ReadInt32();
        EnemyMovePeriod = r.ReadInt32(); Ramp = r.ReadInt32();
        FacingRight = r.ReadBoolean(); AtSurface = r.ReadBoolean(); Terminal = r.ReadBoolean();
        if (FacingRight ? Sx == 0 : Sx == 9)
            throw new InvalidDataException($"sub in column {Sx} cannot face {(FacingRight ? "right" : "left")}");
        foreach (var list in new[] { PlayerBullets, EnemyBullets, Fish, Subs, DiverList })
        {
            list.Clear();
            int n = ReadCount(r, "object");
            for (int i = 0; i < n; i++)
                list.Add(new Mover(ReadCell(r, "object column"), ReadCell(r, "object row"), false, r.ReadInt32(), r.ReadInt32())
                    { Right = r.ReadBoolean() });
        }
    }
}
