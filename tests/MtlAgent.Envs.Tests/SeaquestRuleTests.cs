using MtlAgent.Envs.Games;

namespace MtlAgent.Envs.Tests;

/// <summary>Seaquest's rare rules (spec 8, checklist 6).</summary>
public sealed class SeaquestRuleTests
{
    private static Seaquest Underwater()
    {
        var g = new Seaquest(new RandomState(0), ramping: true);
        g.Reset();
        g.Sx = 0; g.Sy = 8; g.AtSurface = false;
        g.EnemySpawnTimer = 50; g.DiverSpawnTimer = 50;
        return g;
    }

    [Fact]
    public void SubShotOnItsMoveStillFiresOneLastBullet()
    {
        var g = Underwater();
        g.Subs.Add(new Seaquest.Mover(3, 4, right: true, t: 0, shotT: 0));
        g.PlayerBullets.Add(new Seaquest.Mover(5, 4, right: false));

        int reward = g.Step(Game.Noop);

        Assert.Equal(1, reward);
        Assert.Empty(g.Subs);
        Assert.Empty(g.PlayerBullets);
        var bullet = Assert.Single(g.EnemyBullets);
        Assert.Equal((5, 4, true), (bullet.X, bullet.Y, bullet.Right)); // fired at (4,4), moved in phase 7
    }

    [Fact]
    public void SubLeavingTheBoardFiresABulletThatVanishes()
    {
        var g = Underwater();
        g.Subs.Add(new Seaquest.Mover(9, 2, right: true, t: 0, shotT: 0));
        g.Step(Game.Noop);
        Assert.Empty(g.Subs);
        Assert.Empty(g.EnemyBullets);
    }

    [Fact]
    public void SixDiverSurfacingPaysTheBonusAndLeavesMinusOneDivers()
    {
        var g = Underwater();
        g.Sy = 1; g.Divers = 6; g.Oxygen = 150;
        int reward = g.Step(Game.Up);
        Assert.Equal(150 * 10 / 200, reward);
        Assert.Equal(-1, g.Divers);
        Assert.Equal(200, g.Oxygen);
        Assert.Equal(1, g.RampIndex);
        Assert.Equal((19, 5), (g.EnemySpawnPeriod, g.EnemyMovePeriod));

        g.Step(Game.Down);
        g.Step(Game.Up); // surfacing with a negative count neither ends the game nor pays
        Assert.False(g.Terminal);
        Assert.Equal(-2, g.Divers);
    }

    [Fact]
    public void SurfacingWithoutDiversEndsTheGameButStayingAtTheSurfaceDoesNot()
    {
        var g = new Seaquest(new RandomState(0), ramping: true);
        g.Reset();
        for (int i = 0; i < 15; i++) g.Step(Game.Noop);
        Assert.False(g.Terminal);
        Assert.Equal(200, g.Oxygen);
        g.Step(Game.Down);
        g.Step(Game.Up);
        Assert.True(g.Terminal);
    }

    [Fact]
    public void OxygenCheckPrecedesTheDecrement()
    {
        var g = Underwater();
        g.Oxygen = 1;
        g.Step(Game.Noop);
        Assert.False(g.Terminal);
        Assert.Equal(0, g.Oxygen);
        g.Step(Game.Noop);
        Assert.True(g.Terminal);
    }

    [Fact]
    public void DiversAreCollectedUpToSixAndPassThroughAFullSub()
    {
        var g = Underwater();
        g.Sx = 4; g.Sy = 3; g.Divers = 5;
        g.DiverList.Add(new Seaquest.Mover(4, 3, right: true, t: 3));
        g.DiverList.Add(new Seaquest.Mover(4, 3, right: true, t: 3));
        g.Step(Game.Noop);
        Assert.Equal(6, g.Divers);
        Assert.Single(g.DiverList); // the second one passes through
    }

    [Fact]
    public void PlayerBulletPrefersFishOverSubs()
    {
        var g = Underwater();
        g.Sx = 2; g.Sy = 5; g.FacingRight = true;
        g.Fish.Add(new Seaquest.Mover(3, 5, right: false, t: 3));
        g.Subs.Add(new Seaquest.Mover(3, 5, right: false, t: 3, shotT: 5));
        g.Step(Game.Fire); // the bullet appears on the sub's cell and moves one column in the same step
        Assert.Empty(g.Fish);
        Assert.Single(g.Subs);
    }
}
