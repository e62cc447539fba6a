namespace MtlAgent.Envs.Games;

/// <summary>Breakout (spec 5): a paddle, a ball moving diagonally, three rows of bricks.</summary>
internal sealed class Breakout : Game
{
    // dir: 0 up-left, 1 up-right, 2 down-right, 3 down-left
    private static readonly int[] Dx = [-1, 1, 1, -1];
    private static readonly int[] Dy = [-1, -1, 1, 1];
    private static readonly int[] HFlip = [1, 0, 3, 2];
    private static readonly int[] VFlip = [3, 2, 1, 0];
    private static readonly int[] Reverse = [2, 3, 0, 1];

    internal int Pos, BallX, BallY, Dir, LastX, LastY;
    internal bool Strike;
    /// <summary>Brick map indexed y*10+x, 0/1, the layout of the brick channel.</summary>
    internal readonly byte[] Bricks = new byte[100];
    private int _brickCount;

    internal Breakout(RandomState rng, bool ramping) : base(rng, ramping) { }

    internal override int Channels => 4;

    internal override void Reset()
    {
        BallY = 3;
        if (Rng.RandInt(0, 2) == 0) { BallX = 0; Dir = 2; }
        else { BallX = 9; Dir = 3; }
        LastX = BallX; LastY = BallY;
        Pos = 4;
        FillBricks();
        Strike = false;
        Terminal = false;
    }

    private void FillBricks()
    {
        Array.Clear(Bricks);
        Bricks.AsSpan(10, 30).Fill(1);
        _brickCount = 30;
    }

    /// <summary>Sets a brick map for tests, keeping the brick count consistent.</summary>
    internal void SetBricks(ReadOnlySpan<byte> map)
    {
        map.CopyTo(Bricks);
        _brickCount = 0;
        foreach (byte b in Bricks) _brickCount += b;
    }

    internal override int Step(int action)
    {
        if (Terminal) return 0;
        int reward = 0;
        if (action == Left) Pos = Math.Max(0, Pos - 1);
        else if (action == Right) Pos = Math.Min(9, Pos + 1);

        LastX = BallX; LastY = BallY;
        int nx = BallX + Dx[Dir], ny = BallY + Dy[Dir];
        bool hitBrick = false;
        if (nx < 0 || nx > 9)
        {
            nx = Math.Clamp(nx, 0, 9);
            Dir = HFlip[Dir];
        }
        if (ny < 0)
        {
            ny = 0;
            Dir = VFlip[Dir];
        }
        else if (Bricks[ny * 10 + nx] != 0)
        {
            hitBrick = true;
            if (!Strike)
            {
                reward = 1;
                Strike = true;
                Bricks[ny * 10 + nx] = 0;
                _brickCount--;
                ny = LastY;
                Dir = VFlip[Dir];
            }
        }
        else if (ny == 9)
        {
            if (_brickCount == 0) FillBricks();
            if (Pos == LastX) { Dir = VFlip[Dir]; ny = LastY; }
            else if (Pos == nx) { Dir = Reverse[Dir]; ny = LastY; }
            else Terminal = true;
        }
        if (!hitBrick) Strike = false;
        BallX = nx; BallY = ny;
        return reward;
    }

    internal override void WriteObservation(Span<byte> obs)
    {
        obs[..300].Clear();
        Set(obs, 0, 9, Pos);
        Set(obs, 1, BallY, BallX);
        Set(obs, 2, LastY, LastX);
        Bricks.CopyTo(obs.Slice(300, 100));
    }

    internal override void Save(BinaryWriter w)
    {
        w.Write(Pos); w.Write(BallX); w.Write(BallY); w.Write(Dir); w.Write(LastX); w.Write(LastY);
        w.Write(Strike); w.Write(Terminal); w.Write(Bricks);
    }

    internal override void Load(BinaryReader r)
    {
        Pos = ReadCell(r, "paddle column"); BallX = ReadCell(r, "ball column"); BallY = ReadCell(r, "ball row");
        Dir = ReadCell(r, "ball direction", 0, 3); LastX = ReadCell(r, "trail column"); LastY = ReadCell(r, "trail row");
        Strike = r.ReadBoolean(); Terminal = r.ReadBoolean();
        byte[] bricks = r.ReadBytes(100);
        if (bricks.Length != 100 || bricks.Any(b => b > 1))
            throw new InvalidDataException("bad brick map in saved state; expected 100 cells of 0/1");
        SetBricks(bricks);
    }
}
