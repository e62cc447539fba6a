namespace MtlAgent.Envs.Games;

/// <summary>Space Invaders (spec 9): a cannon shoots a descending alien formation; no randomness.</summary>
internal sealed class SpaceInvaders : Game
{
    private const int ShotCooldownPeriod = 5, InitMovePeriod = 12, AlienShotInterval = 10;

    internal int Pos, AlienDir, MovePeriod, AlienMoveTimer, AlienShotTimer, Ramp, ShotCooldown;
    /// <summary>0/1 maps indexed y*10+x.</summary>
    internal readonly byte[] Aliens = new byte[100], PlayerBullets = new byte[100], AlienBullets = new byte[100];
    private readonly byte[] _scratch = new byte[100];

    internal SpaceInvaders(RandomState rng, bool ramping) : base(rng, ramping) { }

    internal override int Channels => 6;
    internal override int? RampIndex => Ramp;

    internal override void Reset()
    {
        Pos = 5;
        FillAliens();
        Array.Clear(PlayerBullets);
        Array.Clear(AlienBullets);
        AlienDir = -1;
        MovePeriod = InitMovePeriod; AlienMoveTimer = InitMovePeriod; AlienShotTimer = AlienShotInterval;
        Ramp = 0; ShotCooldown = 0;
        Terminal = false;
    }

    private void FillAliens()
    {
        Array.Clear(Aliens);
        for (int y = 0; y < 4; y++) Aliens.AsSpan(y * 10 + 2, 6).Fill(1);
    }

    internal override int Step(int action)
    {
        if (Terminal) return 0;
        int reward = 0;
        if (action == Fire && ShotCooldown == 0)
        {
            PlayerBullets[90 + Pos] = 1;
            ShotCooldown = ShotCooldownPeriod;
        }
        else if (action == Left) Pos = Math.Max(0, Pos - 1);
        else if (action == Right) Pos = Math.Min(9, Pos + 1);

        // Player bullets rise one row (row 0 leaves the board); alien bullets fall one row.
        PlayerBullets.AsSpan(10, 90).CopyTo(PlayerBullets);
        PlayerBullets.AsSpan(90, 10).Clear();
        AlienBullets.AsSpan(0, 90).CopyTo(_scratch);
        _scratch.AsSpan(0, 90).CopyTo(AlienBullets.AsSpan(10, 90));
        AlienBullets.AsSpan(0, 10).Clear();
        if (AlienBullets[90 + Pos] != 0) Terminal = true;
        if (Aliens[90 + Pos] != 0) Terminal = true;

        if (AlienMoveTimer == 0)
        {
            AlienMoveTimer = Math.Min(CountAliens(), MovePeriod);
            if ((AlienDir < 0 && ColumnHasAlien(0)) || (AlienDir > 0 && ColumnHasAlien(9)))
            {
                AlienDir = -AlienDir;
                if (RowHasAlien(9)) Terminal = true;
                // Down one row; row 9 wraps to row 0 (only together with termination, as upstream's roll).
                Aliens.CopyTo(_scratch, 0);
                _scratch.AsSpan(0, 90).CopyTo(Aliens.AsSpan(10, 90));
                _scratch.AsSpan(90, 10).CopyTo(Aliens.AsSpan(0, 10));
            }
            else ShiftColumns(AlienDir);
            if (Aliens[90 + Pos] != 0) Terminal = true;
        }

        if (AlienShotTimer == 0)
        {
            AlienShotTimer = AlienShotInterval;
            int col = NearestAlienColumn();
            if (col >= 0)
                for (int y = 9; y >= 0; y--)
                    if (Aliens[y * 10 + col] != 0) { AlienBullets[y * 10 + col] = 1; break; }
        }

        for (int i = 0; i < 100; i++)
            if ((Aliens[i] & PlayerBullets[i]) != 0) { Aliens[i] = 0; PlayerBullets[i] = 0; reward++; }

        if (ShotCooldown > 0) ShotCooldown--;
        AlienMoveTimer--;
        AlienShotTimer--;

        if (CountAliens() == 0)
        {
            if (MovePeriod > 6 && Ramping) { MovePeriod--; Ramp++; }
            FillAliens();
        }
        return reward;
    }

    /// <summary>The column with an alien nearest the cannon; ties go to the smaller column.</summary>
    internal int NearestAlienColumn()
    {
        int best = -1, bestDistance = int.MaxValue;
        for (int col = 0; col < 10; col++)
        {
            int d = Math.Abs(col - Pos);
            if (d < bestDistance && ColumnHasAlien(col)) { best = col; bestDistance = d; }
        }
        return best;
    }

    private void ShiftColumns(int dir)
    {
        for (int y = 0; y < 10; y++)
        {
            Span<byte> row = Aliens.AsSpan(y * 10, 10);
            if (dir < 0) { byte first = row[0]; row[1..].CopyTo(row); row[9] = first; }
            else { byte last = row[9]; row[..9].CopyTo(row[1..]); row[0] = last; }
        }
    }

    private int CountAliens()
    {
        int n = 0;
        foreach (byte a in Aliens) n += a;
        return n;
    }

    private bool ColumnHasAlien(int col)
    {
        for (int y = 0; y < 10; y++) if (Aliens[y * 10 + col] != 0) return true;
        return false;
    }

    private bool RowHasAlien(int row) => Aliens.AsSpan(row * 10, 10).ContainsAnyExcept((byte)0);

    internal override void WriteObservation(Span<byte> obs)
    {
        obs[..100].Clear();
        Set(obs, 0, 9, Pos);
        Aliens.CopyTo(obs.Slice(100, 100));
        if (AlienDir < 0) { Aliens.CopyTo(obs.Slice(200, 100)); obs.Slice(300, 100).Clear(); }
        else { obs.Slice(200, 100).Clear(); Aliens.CopyTo(obs.Slice(300, 100)); }
        PlayerBullets.CopyTo(obs.Slice(400, 100));
        AlienBullets.CopyTo(obs.Slice(500, 100));
    }

    internal override void Save(BinaryWriter w)
    {
        w.Write(Pos); w.Write(AlienDir); w.Write(MovePeriod); w.Write(AlienMoveTimer); w.Write(AlienShotTimer);
        w.Write(Ramp); w.Write(ShotCooldown); w.Write(Terminal);
        w.Write(Aliens); w.Write(PlayerBullets); w.Write(AlienBullets);
    }

    internal override void Load(BinaryReader r)
    {
        Pos = ReadCell(r, "cannon column"); AlienDir = r.ReadInt32();
        if (AlienDir is not (-1 or 1)) throw new InvalidDataException($"bad alien direction {AlienDir} in saved state; expected -1 or 1");
        MovePeriod = r.ReadInt32(); AlienMoveTimer = r.ReadInt32(); AlienShotTimer = r.ReadInt32();
        Ramp = r.ReadInt32(); ShotCooldown = r.ReadInt32(); Terminal = r.ReadBoolean();
        ReadMap(r, Aliens, "alien"); ReadMap(r, PlayerBullets, "player bullet"); ReadMap(r, AlienBullets, "alien bullet");
    }

    private static void ReadMap(BinaryReader r, byte[] map, string what)
    {
        byte[] bytes = r.ReadBytes(100);
        if (bytes.Length != 100 || bytes.Any(b => b > 1))
            throw new InvalidDataException($"bad {what} map in saved state; expected 100 cells of 0/1");
        bytes.CopyTo(map, 0);
    }
}
