using MtlAgent.Envs.Games;

namespace MtlAgent.Envs.Tests;

/// <summary>Asterix's rare rules (spec 6, checklist 5).</summary>
public sealed class AsterixRuleTests
{
    [Fact]
    public void SpawnWithAllEightRowsFullConsumesTwoDrawsAndPlacesNothing()
    {
        var g = new Asterix(new RandomState(3), ramping: true);
        g.Reset();
        for (int i = 0; i < 8; i++) g.Slots[i] = new Asterix.Slot { Occupied = true, X = 0, MovingRight = true, IsGold = false };
        g.PlayerX = 9; g.PlayerY = 5;
        g.SpawnTimer = 0; g.MoveTimer = 3;
        var before = g.Slots.ToArray();

        g.Step(Game.Noop);

        Assert.Equal(before, g.Slots);
        Assert.False(g.Terminal);
        var reference = new RandomState(3);
        reference.Rand();
        reference.Rand();
        Assert.Equal(reference.NextUInt32(), g.Rng.NextUInt32());
    }

    [Fact]
    public void SpawnPicksAmongFreeRowsOnly()
    {
        var g = new Asterix(new RandomState(11), ramping: true);
        g.Reset();
        for (int i = 0; i < 8; i++)
            if (i != 6) g.Slots[i] = new Asterix.Slot { Occupied = true, X = 5, MovingRight = true };
        g.PlayerX = 0; g.PlayerY = 1;
        g.SpawnTimer = 0; g.MoveTimer = 3;
        g.Step(Game.Noop);
        Assert.True(g.Slots[6].Occupied);
        Assert.Equal(g.Slots[6].MovingRight ? 0 : 9, g.Slots[6].X);
    }

    [Fact]
    public void GoldIsCollectedAndEnemyKillsAfterMoving()
    {
        var g = new Asterix(new RandomState(1), ramping: true);
        g.Reset();
        g.PlayerX = 4; g.PlayerY = 3;
        g.Slots[2] = new Asterix.Slot { Occupied = true, X = 3, MovingRight = true, IsGold = true };
        g.SpawnTimer = 5; g.MoveTimer = 0;
        Assert.Equal(1, g.Step(Game.Noop));
        Assert.False(g.Slots[2].Occupied);

        g.Slots[2] = new Asterix.Slot { Occupied = true, X = 3, MovingRight = true, IsGold = false };
        g.MoveTimer = 0;
        g.Step(Game.Noop);
        Assert.True(g.Terminal);
        Assert.True(g.Slots[2].Occupied); // the enemy stays
    }

    [Fact]
    public void DifficultyRampsEvery102Steps()
    {
        var g = new Asterix(new RandomState(0), ramping: true);
        g.Reset();
        for (int step = 1; step <= 204; step++)
        {
            Array.Clear(g.Slots); // keep the player alive; spawning still draws as usual
            g.Step(Game.Noop);
            int expected = step < 102 ? 0 : step < 204 ? 1 : 2;
            Assert.Equal(expected, g.RampIndex);
        }
        Assert.Equal((8, 4), (g.SpawnPeriod, g.MovePeriod));
    }

    [Fact]
    public void NoRampWithoutRamping()
    {
        var g = new Asterix(new RandomState(0), ramping: false);
        g.Reset();
        for (int step = 0; step < 300; step++) { Array.Clear(g.Slots); g.Step(Game.Noop); }
        Assert.Equal(0, g.RampIndex);
    }
}
