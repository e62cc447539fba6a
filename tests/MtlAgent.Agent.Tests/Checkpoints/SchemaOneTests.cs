using MtlAgent.Agent.Checkpoints;
using MtlAgent.Agent.Evaluation;

namespace MtlAgent.Agent.Tests.Checkpoints;

/// <summary>
/// A checkpoint written by the last build on the libtorch-1.13 bridge (schema 1: state.json, smoke preset, 2,000
/// frames, hidden 32), kept in tests/fixtures with the `mtl eval --seed 3 --episodes 10` result that build printed.
/// </summary>
public class SchemaOneTests
{
    internal static readonly string Run = Path.Combine(AppContext.BaseDirectory, "fixtures", "schema1-run");
    internal static readonly string Expected = Path.Combine(AppContext.BaseDirectory, "fixtures", "schema1-run.eval-seed3-episodes10.json");

    [Fact]
    public void EvaluatesToTheNumbersTheBridgeBuildGot()
    {
        using var policy = CheckpointPolicy.Load(Run);
        Assert.Equal(["MinAtar/Breakout-v0", "MinAtar/Asterix-v0"], policy.Games);
        Assert.Equal(2000, policy.FramesPerGame);
        Assert.Equal(32, policy.Config.Network.Hidden);
        var report = new Evaluator(policy.Policy, CheckpointEnv.Options(policy.Config))
            .Evaluate(policy.Games, new EvaluationOptions { Episodes = 10, Seed = 3 }, policy.Directory, policy.FramesPerGame);
        var expected = EvaluationJson.Deserialize(File.ReadAllText(Expected));
        Assert.Equal(expected.Games.Select(EvaluationJson.Serialize), report.Games.Select(EvaluationJson.Serialize));
        Assert.Equal(expected.Worst, report.Worst);
        Assert.Equal(expected.MeanNormalizedScore, report.MeanNormalizedScore);
    }

    [Fact]
    public void ResumingIsRefusedNamingTheSchema()
    {
        var checkpoint = CheckpointStore.Resolve(Run);
        var config = SchemaOneState.Read(checkpoint).Config;
        var e = Assert.Throws<CheckpointException>(() => TrainerCheckpoint.Load(checkpoint, config));
        Assert.Contains("schema 1", e.Message);
        Assert.Contains("mtl eval", e.Message);
    }
}
