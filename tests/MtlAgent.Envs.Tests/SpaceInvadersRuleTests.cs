using MtlAgent.Envs.Games;

namespace MtlAgent.Envs.Tests;

/// <summary>Space Invaders' rare rules (spec 9, checklist 7).</summary>
public sealed class SpaceInvadersRuleTests
{
    private static SpaceInvaders Empty()
    {
        var g = new SpaceInvaders(new RandomState(0), ramping: true);
        g.Reset();
        Array.Clear(g.Aliens);
        g.AlienMoveTimer = 5; g.AlienShotTimer = 5;
        return g;
    }

    [Fact]
    public void SeveralAliensDieInOneStep()
    {
        var g = Empty();
        g.Aliens[32] = 1; g.Aliens[33] = 1; g.Aliens[0] = 1;
        g.PlayerBullets[42] = 1; g.PlayerBullets[43] = 1;
        Assert.Equal(2, g.Step(Game.Noop));
        Assert.Equal(0, g.Aliens[32] + g.Aliens[33] + g.PlayerBullets[32] + g.PlayerBullets[33]);
        Assert.Equal(1, g.Aliens[0]);
    }

    [Fact]
    public void AliensAimAtTheNearestColumnWithTiesToTheLeft()
    {
        var g = Empty();
        g.Pos = 5;
        g.Aliens[1 * 10 + 4] = 1; g.Aliens[3 * 10 + 4] = 1; // column 4: lowest alien in row 3
        g.Aliens[2 * 10 + 6] = 1;
        g.AlienShotTimer = 0;
        g.Step(Game.Noop);
        Assert.Equal(1, g.AlienBullets[3 * 10 + 4]);
        Assert.Equal(1, g.AlienBullets.Sum(b => b));
        Assert.Equal(10 - 1, g.AlienShotTimer);
    }

    [Fact]
    public void ClearedWaveRefillsKeepingDirectionAndTimers()
    {
        var g = Empty();
        g.Aliens[30] = 1;
        g.PlayerBullets[40] = 1;
        g.AlienDir = 1;
        Assert.Equal(1, g.Step(Game.Noop));
        Assert.Equal(24, g.Aliens.Sum(a => a));
        Assert.Equal(1, g.AlienDir);
        Assert.Equal((11, 1), (g.MovePeriod, g.RampIndex));
        Assert.Equal((4, 4), (g.AlienMoveTimer, g.AlienShotTimer));
    }

    [Fact]
    public void FormationReversesAndDescendsAtTheEdge()
    {
        var g = Empty();
        g.Aliens[2 * 10 + 0] = 1;
        g.AlienDir = -1; g.AlienMoveTimer = 0;
        g.Step(Game.Noop);
        Assert.Equal(1, g.Aliens[3 * 10 + 0]);
        Assert.Equal(1, g.AlienDir);
        Assert.Equal(0, g.AlienMoveTimer); // min(1 alien, 12) - 1
    }

    [Fact]
    public void BulletAndAlienThatSwapCellsMissEachOther()
    {
        var g = Empty();
        g.Aliens[4 * 10 + 0] = 1; // at the left edge moving left: it will descend to row 5
        g.AlienDir = -1; g.AlienMoveTimer = 0;
        g.PlayerBullets[6 * 10 + 0] = 1; // rises to row 5... where the alien arrives: a kill
        Assert.Equal(1, g.Step(Game.Noop));

        var h = Empty();
        h.Aliens[4 * 10 + 0] = 1;
        h.AlienDir = -1; h.AlienMoveTimer = 0;
        h.PlayerBullets[5 * 10 + 0] = 1; // rises to row 4 while the alien descends to row 5: a miss
        Assert.Equal(0, h.Step(Game.Noop));
        Assert.Equal(1, h.Aliens[50]);
        Assert.Equal(1, h.PlayerBullets[40]);
    }
}
