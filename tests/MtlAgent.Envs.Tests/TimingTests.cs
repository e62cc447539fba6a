using MtlAgent.Envs.Games;

namespace MtlAgent.Envs.Tests;

/// <summary>Timer patterns A and B (spec 1, checklist 2) seen through the derived timing facts.</summary>
public sealed class TimingTests
{
    [Fact]
    public void AsterixSpawnsFirstAtStepElevenAndMovesEveryFiveSteps()
    {
        var g = new Asterix(new RandomState(2), ramping: true);
        g.Reset();
        g.PlayerY = 1; g.PlayerX = 4; // the spawn may use row 1, but it cannot reach column 4 by step 11
        for (int step = 1; step <= 10; step++) { g.Step(Game.Noop); Assert.DoesNotContain(g.Slots, s => s.Occupied); }
        g.Step(Game.Noop);
        var slot = Assert.Single(g.Slots, s => s.Occupied);
        Assert.Equal(slot.MovingRight ? 1 : 8, slot.X); // spawned on a movement step, moved at once
    }

    [Fact]
    public void SpaceInvadersMovesFirstAtStepThirteenAndShootsFirstAtStepEleven()
    {
        var g = new SpaceInvaders(new RandomState(0), ramping: true);
        g.Reset();
        for (int step = 1; step <= 12; step++)
        {
            g.Step(Game.Noop);
            Assert.Equal(1, g.Aliens[2]);
            Assert.Equal(step >= 11 ? 1 : 0, g.AlienBullets.Sum(b => b));
        }
        g.Step(Game.Noop);
        Assert.Equal(1, g.Aliens[1]); // the formation moved left
    }

    [Fact]
    public void SeaquestSpawnsEnemiesFromStep21AndDiversFromStep31()
    {
        var g = new Seaquest(new RandomState(5), ramping: true);
        g.Reset();
        for (int step = 1; step <= 31; step++)
        {
            g.Step(Game.Noop);
            if (step < 21) Assert.Equal(0, g.Fish.Count + g.Subs.Count);
            Assert.Equal(step >= 31 ? 1 : 0, g.DiverList.Count);
        }
    }

    [Fact]
    public void SeaquestEnemyMovesEveryPeriodPlusOneSteps()
    {
        var g = new Seaquest(new RandomState(0), ramping: true);
        g.Reset();
        g.EnemySpawnTimer = 100; g.DiverSpawnTimer = 100;
        g.Fish.Add(new Seaquest.Mover(0, 5, right: true, t: 5));
        var xs = new List<int>();
        for (int t = 0; t < 12; t++) { g.Step(Game.Noop); xs.Add(g.Fish[0].X); }
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2], xs);
    }
}
