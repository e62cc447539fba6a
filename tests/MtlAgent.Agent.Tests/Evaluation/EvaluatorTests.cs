using MtlAgent.Agent.Acting;
using MtlAgent.Agent.Evaluation;
using MtlAgent.Envs;

namespace MtlAgent.Agent.Tests.Evaluation;

public class EvaluatorTests
{
    // A deterministic stand-in for a network: prefers an action derived from the observation's lit cells.
    private sealed class FakePolicy(params string[] games) : IActionValueFunction
    {
        public IReadOnlyList<string> Games => games;
        public int Batches;

        public void Outputs(ReadOnlySpan<int> rowsPerGame, Func<int, ReadOnlyMemory<byte>> observation, float[][] outputs)
        {
            Batches++;
            for (int g = 0, row = 0; g < rowsPerGame.Length; g++)
            {
                int actions = EnvRegistry.Spec(games[g]).ActionCount;
                for (int i = 0; i < rowsPerGame[g]; i++, row++)
                {
                    var cells = observation(row).Span;
                    int lit = 0;
                    for (int c = 0; c < cells.Length; c++) if (cells[c] != 0) lit += c;
                    outputs[row] = new float[actions];
                    outputs[row][lit % actions] = 1;
                }
            }
        }

        public void ToRealUnits(int game, Span<float> values) { }
    }

    private const string Breakout = "MinAtar/Breakout-v0", Asterix = "MinAtar/Asterix-v1";

    [Fact]
    public void SameSeedSameNumbersRegardlessOfWhichOtherGamesAreEvaluated()
    {
        var options = new EvaluationOptions { Episodes = 6, Seed = 7 };
        var both = new Evaluator(new FakePolicy(Breakout, Asterix), EnvOptions.Default).Evaluate([Breakout, Asterix], options, "ck", 10);
        var again = new Evaluator(new FakePolicy(Breakout, Asterix), EnvOptions.Default).Evaluate([Asterix, Breakout], options, "ck", 10);
        var alone = new Evaluator(new FakePolicy(Breakout), EnvOptions.Default).EvaluateGame(Breakout, options);

        Assert.Equal(EvaluationJson.Serialize(both.Games[0]), EvaluationJson.Serialize(again.Games[1]));
        Assert.Equal(EvaluationJson.Serialize(both.Games[0]), EvaluationJson.Serialize(alone));
        Assert.Equal(both.Games[0].Returns, alone.Returns);
        Assert.Equal(6, both.Games[0].Episodes);
        Assert.Equal(0, both.Games[0].Truncated);
    }

    [Fact]
    public void DifferentSeedsGiveDifferentEpisodes()
    {
        var evaluator = new Evaluator(new FakePolicy(Breakout), EnvOptions.Default);
        var a = evaluator.EvaluateGame(Breakout, new EvaluationOptions { Episodes = 6, Seed = 1 });
        var b = evaluator.EvaluateGame(Breakout, new EvaluationOptions { Episodes = 6, Seed = 2 });
        Assert.NotEqual(a.Steps, b.Steps);
    }

    [Fact]
    public void EpisodesCutByTheStepCapAreCountedAsTruncated()
    {
        var policy = new FakePolicy(Breakout);
        var result = new Evaluator(policy, EnvOptions.Default)
            .EvaluateGame(Breakout, new EvaluationOptions { Episodes = 5, MaxEpisodeSteps = 3 });
        Assert.Equal(5, result.Truncated);
        Assert.All(result.Steps, s => Assert.Equal(3, s));
        Assert.Equal(3, policy.Batches);   // all episodes of a game share one forward pass per step
    }

    [Fact]
    public void UniformRandomPlayScoresNearZeroNormalized()
    {
        // epsilon = 1 is random play, the lower anchor of the normalised score.
        var result = new Evaluator(new FakePolicy(Breakout), EnvOptions.Default)
            .EvaluateGame(Breakout, new EvaluationOptions { Episodes = 200, Epsilon = 1 });
        Assert.InRange(result.NormalizedScore, -0.1, 0.1);
    }

    [Fact]
    public void AGameThePolicyHasNoHeadFor_IsRefusedNamingWhatItHas()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new Evaluator(new FakePolicy(Breakout), EnvOptions.Default)
                .Evaluate([Asterix], new EvaluationOptions { Episodes = 1 }, null, 0));
        Assert.Equal($"game '{Asterix}' is not in the policy; it has: {Breakout}", e.Message);
    }
}
