using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Replay;

namespace MtlAgent.Agent.Tests.Replay;

public class BatchRowsTests
{
    private static readonly string[] Games = ["MinAtar/Breakout-v1", "MinAtar/Freeway-v1", "MinAtar/Asterix-v1"];

    [Fact]
    public void BalancedBatchesSplitRowsEquallyOrByWeights()
    {
        var s = BatchRows.Balanced(Games, new ReplayConfig { BatchPerGame = 32 }, new TaskConfig());
        Assert.Equal([32, 32, 32], s.RowsPerGame);
        Assert.Equal([0, 32, 64], s.RowOffsets);
        Assert.Equal(96, s.BatchSize);
        Assert.Equal([24, 48, 24], BatchRows.Shares(Games, 32, new Dictionary<string, double> { ["MinAtar/Freeway-v1"] = 2 }));
        Assert.Equal(96, BatchRows.Shares(Games, 32, new Dictionary<string, double> { ["MinAtar/Breakout-v1"] = 1.3 }).Sum());
    }

    [Fact]
    public void AOneGameBatchHoldsThatGamesRowsOnly()
    {
        var s = BatchRows.OneGame(1, 3, 32);
        Assert.Equal([0, 32, 0], s.RowsPerGame);
        Assert.Equal([0, 0, 32], s.RowOffsets);
        Assert.Equal(32, s.BatchSize);
    }
}
