using System.Text.Json;

namespace MtlAgent.Cli.Tests;

[Collection(SmokeCheckpointCollection.Name)]
public class EvalCommandTests(SmokeCheckpointFixture smoke)
{
    private MtlChildProcess.Result Eval(params string[] args) => MtlChildProcess.Run(smoke.Root, ["eval", .. args]);

    private string JsonPath() => Path.Combine(smoke.Root, $"eval-{Guid.NewGuid():N}.json");

    [Fact]
    public void WritesTheDocumentedJson_AndTheSameSeedGivesTheSameNumbers()
    {
        string first = JsonPath(), second = JsonPath();
        var run = Eval("--checkpoint", smoke.RunDirectory, "--episodes", "4", "--seed", "5", "--json", first);
        Assert.True(run.ExitCode == 0, run.ToString());
        var again = Eval("--checkpoint", smoke.RunDirectory, "--episodes", "4", "--seed", "5", "--json", second);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(File.ReadAllText(first), File.ReadAllText(second));

        using var doc = JsonDocument.Parse(File.ReadAllText(first));
        var root = doc.RootElement;
        Assert.Equal(["checkpoint", "frames", "games", "worst", "median_normalized_score", "mean_normalized_score"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(smoke.Checkpoint, root.GetProperty("checkpoint").GetString());   // a run directory means its latest checkpoint
        Assert.Equal(SmokeCheckpointFixture.Frames, root.GetProperty("frames").GetInt64());

        var games = root.GetProperty("games").EnumerateArray().ToList();
        Assert.Equal(SmokeCheckpointFixture.Games, games.Select(g => g.GetProperty("env").GetString()));
        foreach (var g in games)
        {
            Assert.Equal(["env", "episodes", "return_mean", "return_sem", "return_median", "normalized_score", "truncated"],
                g.EnumerateObject().Select(p => p.Name));
            Assert.Equal(4, g.GetProperty("episodes").GetInt32());
            Assert.True(g.GetProperty("return_sem").GetDouble() >= 0);
            Assert.Equal(0, g.GetProperty("truncated").GetInt32());
        }
        var scores = games.Select(g => g.GetProperty("normalized_score").GetDouble()).ToList();
        var worst = games.MinBy(g => g.GetProperty("normalized_score").GetDouble());
        Assert.Equal(worst.GetProperty("env").GetString(), root.GetProperty("worst").GetProperty("env").GetString());
        Assert.Equal(scores.Min(), root.GetProperty("worst").GetProperty("normalized_score").GetDouble());
        Assert.Equal(scores.Average(), root.GetProperty("mean_normalized_score").GetDouble(), 12);
        Assert.Equal(scores.Average(), root.GetProperty("median_normalized_score").GetDouble(), 12);   // two games

        // The table names every game and the summary.
        foreach (var id in SmokeCheckpointFixture.Games) Assert.Contains(id, run.Stdout);
        Assert.Contains("worst game: " + worst.GetProperty("env").GetString(), run.Stdout);
        Assert.DoesNotContain(Directory.GetFiles(smoke.Root), f => f.EndsWith(".tmp"));
    }

    [Fact]
    public void GamesSubset_AndEpisodesCutByTheStepCapCountAsTruncated()
    {
        var json = JsonPath();
        var run = Eval("--checkpoint", smoke.Checkpoint, "--games", "MinAtar/Asterix-v0", "--episodes", "3", "--max-steps", "2",
            "--json", json);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var game = Assert.Single(doc.RootElement.GetProperty("games").EnumerateArray());
        Assert.Equal("MinAtar/Asterix-v0", game.GetProperty("env").GetString());
        Assert.Equal(3, game.GetProperty("truncated").GetInt32());
    }

    [Fact]
    public void MissingPath_IsAClearError()
    {
        var run = Eval("--checkpoint", Path.Combine(smoke.Root, "no-such-run"));
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: ", run.Stderr);
        Assert.Contains("no-such-run", run.Stderr);
        Assert.Contains("does not exist", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
    }

    [Fact]
    public void TruncatedWeights_AreAClearError()
    {
        var run = Eval("--checkpoint", smoke.CopyWithTruncated("model.safetensors"));
        SmokeCheckpointFixture.AssertClearError(run, "model.safetensors");
    }

    [Fact]
    public void CorruptManifest_IsAClearError()
    {
        var copy = smoke.CopyOfCheckpoint();
        File.WriteAllText(Path.Combine(copy, "manifest.json"), "{\"games\": [\"MinAtar/Breakout-v0\", ");
        var run = Eval("--checkpoint", copy);
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: ", run.Stderr);
        Assert.Contains("manifest.json is corrupt", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
    }

    [Fact]
    public void AGameTheCheckpointWasNotTrainedOn_ListsTheGamesItHas()
    {
        var run = Eval("--checkpoint", smoke.Checkpoint, "--games", "MinAtar/Breakout-v0,MinAtar/Seaquest-v0");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("'MinAtar/Seaquest-v0'", run.Stderr);
        Assert.Contains(string.Join(", ", SmokeCheckpointFixture.Games), run.Stderr);
    }

    [Theory]
    [InlineData("--episodes", "0", "episodes must be at least 1, got 0")]
    [InlineData("--epsilon", "1.5", "epsilon must be in [0, 1], got 1.5")]
    [InlineData("--max-steps", "-3", "max steps must be at least 1, got -3")]
    public void BadOptionValues_AreClearErrors(string option, string value, string message)
    {
        var run = Eval("--checkpoint", smoke.Checkpoint, option, value);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: {message}", run.Stderr.Trim());
    }
}
