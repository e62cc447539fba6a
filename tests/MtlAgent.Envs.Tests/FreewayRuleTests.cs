using MtlAgent.Envs.Games;

namespace MtlAgent.Envs.Tests;

/// <summary>Freeway's rules (spec 7, checklist 3).</summary>
public sealed class FreewayRuleTests
{
    private static Freeway NewGame(uint seed = 0)
    {
        var g = new Freeway(new RandomState(seed), ramping: true);
        g.Reset();
        return g;
    }

    [Fact]
    public void ResetPutsEveryCarInColumnZeroWithItsSpeedAsCountdown()
    {
        var g = NewGame(4);
        Assert.All(g.CarX, x => Assert.Equal(0, x));
        for (int i = 0; i < 8; i++)
        {
            Assert.InRange(Math.Abs(g.CarS[i]), 1, 5);
            Assert.Equal(Math.Abs(g.CarS[i]), g.CarT[i]);
        }
        Assert.Equal(9, g.Pos);
    }

    [Fact]
    public void LargerSpeedMagnitudeMovesLessOften()
    {
        var g = NewGame();
        for (int i = 0; i < 8; i++) { g.CarX[i] = 0; g.CarS[i] = i < 4 ? 1 : -5; g.CarT[i] = Math.Abs(g.CarS[i]); }
        for (int t = 0; t < 12; t++) g.Step(Game.Noop);
        Assert.Equal(6, g.CarX[0]); // every 2 steps
        Assert.Equal(8, g.CarX[7]); // every 6 steps, wrapping 0 -> 9 -> 8
    }

    [Fact]
    public void TrailsWrapAroundTheBoard()
    {
        var g = NewGame();
        g.CarX[0] = 0; g.CarS[0] = 2;  // moving right from column 0: trail in column 9
        g.CarX[1] = 9; g.CarS[1] = -3; // moving left from column 9: trail in column 0
        var obs = new byte[700];
        g.WriteObservation(obs);
        Assert.Equal(1, obs[(1 + 2) * 100 + 1 * 10 + 9]);
        Assert.Equal(1, obs[(1 + 3) * 100 + 2 * 10 + 0]);
    }

    [Fact]
    public void CrossingScoresAndTheChickenIsNeverShownInRowZero()
    {
        var g = NewGame();
        for (int i = 0; i < 8; i++) { g.CarX[i] = 0; g.CarS[i] = 5; g.CarT[i] = 5; }
        g.Pos = 1; g.MoveCooldown = 0;
        Assert.Equal(1, g.Step(Game.Up));
        Assert.Equal(9, g.Pos);
        Assert.Equal(2, g.MoveCooldown);
        Assert.All(g.CarX, x => Assert.InRange(x, 0, 1)); // positions kept, speeds redrawn
    }

    [Fact]
    public void CarOnTheChickenSendsItBack()
    {
        var g = NewGame();
        g.Pos = 3;
        g.CarX[2] = 3; g.CarS[2] = 1; g.CarT[2] = 0; // row 3, moves right into column 4 this step
        g.Step(Game.Noop);
        Assert.Equal(9, g.Pos);
    }

    [Fact]
    public void EpisodeEndsAfterExactly2501Steps()
    {
        var g = NewGame();
        for (int t = 1; t <= 2500; t++) { g.Step(Game.Noop); Assert.False(g.Terminal); }
        g.Step(Game.Noop);
        Assert.True(g.Terminal);
    }
}
