using MtlAgent.Envs.Games;

namespace MtlAgent.Envs.Tests;

/// <summary>Breakout's rare rules (spec 5.3, checklist 4), set up by writing the state directly.</summary>
public sealed class BreakoutRuleTests
{
    private static Breakout NewGame()
    {
        var g = new Breakout(new RandomState(0), ramping: true);
        g.Reset();
        return g;
    }

    [Fact]
    public void BallPassesThroughBricksRightAfterAStrike()
    {
        var g = NewGame();
        var bricks = new byte[100];
        bricks[3 * 10 + 5] = 1; // struck first
        bricks[5 * 10 + 6] = 1; // then passed through
        bricks[6 * 10 + 7] = 1;
        g.SetBricks(bricks);
        g.BallY = 4; g.BallX = 4; g.Dir = 1; // up-right
        g.Pos = 0;

        Assert.Equal(1, g.Step(Game.Noop));
        Assert.Equal((4, 5, 2), (g.BallY, g.BallX, g.Dir)); // stays in its row, now down-right
        Assert.Equal(0, g.Bricks[35]);

        Assert.Equal(0, g.Step(Game.Noop));
        Assert.Equal((5, 6), (g.BallY, g.BallX)); // inside the brick, which survives
        Assert.Equal(1, g.Bricks[56]);
        Assert.True(g.Strike);

        Assert.Equal(0, g.Step(Game.Noop));
        Assert.Equal((6, 7), (g.BallY, g.BallX));
        Assert.Equal(1, g.Bricks[67]);

        Assert.Equal(0, g.Step(Game.Noop));
        Assert.Equal((7, 8), (g.BallY, g.BallX));
        Assert.False(g.Strike);
    }

    [Fact]
    public void PaddleUnderTheOldColumnBouncesStraightUp()
    {
        var g = NewGame();
        g.BallY = 8; g.BallX = 4; g.Dir = 2; g.Pos = 4; // paddle under the ball, ball heading to column 5
        g.Step(Game.Noop);
        Assert.False(g.Terminal);
        Assert.Equal((8, 5, 1), (g.BallY, g.BallX, g.Dir)); // V-flip keeps the horizontal direction
    }

    [Fact]
    public void PaddleUnderTheNewColumnReversesTheBall()
    {
        var g = NewGame();
        g.BallY = 8; g.BallX = 4; g.Dir = 2; g.Pos = 5;
        g.Step(Game.Noop);
        Assert.False(g.Terminal);
        Assert.Equal((8, 5, 0), (g.BallY, g.BallX, g.Dir)); // back the way it came
    }

    [Fact]
    public void MissedBallTerminatesInTheBottomRow()
    {
        var g = NewGame();
        g.BallY = 8; g.BallX = 4; g.Dir = 2; g.Pos = 8;
        g.Step(Game.Noop);
        Assert.True(g.Terminal);
        Assert.Equal((9, 5), (g.BallY, g.BallX));
        Assert.Equal(0, g.Step(Game.Left)); // a finished game changes nothing
        Assert.Equal(8, g.Pos);
    }

    [Fact]
    public void BricksRefillOnlyWhenTheBallReachesTheBottomRow()
    {
        var g = NewGame();
        g.SetBricks(new byte[100]);
        g.BallY = 7; g.BallX = 4; g.Dir = 2; g.Pos = 0;
        g.Step(Game.Noop);
        Assert.All(g.Bricks, b => Assert.Equal(0, b));
        g.Step(Game.Noop); // lands in row 9 and is missed: the refill still happens
        Assert.True(g.Terminal);
        Assert.Equal(30, g.Bricks.Sum(b => b));
        Assert.All(g.Bricks.AsSpan(10, 30).ToArray(), b => Assert.Equal(1, b));
    }

    [Fact]
    public void SideWallClampAndCeilingFlipBothDirections()
    {
        var g = NewGame();
        g.SetBricks(new byte[100]);
        g.BallY = 0; g.BallX = 0; g.Dir = 0; // up-left in the top-left corner
        g.Step(Game.Noop);
        Assert.Equal((0, 0, 2), (g.BallY, g.BallX, g.Dir));
    }
}
