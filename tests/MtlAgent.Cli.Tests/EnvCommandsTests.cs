using System.CommandLine;
using System.Text.Json;
using MtlAgent.Cli;
using MtlAgent.Cli.Commands;

namespace MtlAgent.Cli.Tests;

/// <summary><c>mtl rollout</c>, <c>mtl envs</c> and <c>mtl bench envs</c> through their commands.</summary>
public sealed class EnvCommandsTests
{
    private static int Invoke(params string[] args)
    {
        var root = new RootCommand();
        root.Subcommands.Add(RolloutCommand.Create());
        root.Subcommands.Add(EnvsCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return CliErrors.Run(() => root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
    }

    [Fact]
    public void RolloutWritesTheDocumentedJson()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mtl-rollout-{Guid.NewGuid():N}.json");
        try
        {
            Assert.Equal(0, Invoke("rollout", "--env", "MinAtar/SpaceInvaders-v0", "--policy", "always-noop", "--episodes", "4",
                "--seed", "3", "--json", path));
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            Assert.Equal(["env", "policy", "seed", "episodes", "summary"], root.EnumerateObject().Select(p => p.Name));
            Assert.Equal("MinAtar/SpaceInvaders-v0", root.GetProperty("env").GetString());
            Assert.Equal(3, root.GetProperty("seed").GetInt32());
            var episodes = root.GetProperty("episodes").EnumerateArray().ToArray();
            Assert.Equal(4, episodes.Length);
            Assert.All(episodes, e => Assert.Equal((0.0, 17, false),
                (e.GetProperty("return").GetDouble(), e.GetProperty("length").GetInt32(), e.GetProperty("truncated").GetBoolean())));
            var summary = root.GetProperty("summary");
            Assert.Equal(["return_mean", "return_sd", "return_sem", "length_mean"], summary.EnumerateObject().Select(p => p.Name));
            Assert.Equal(17, summary.GetProperty("length_mean").GetDouble());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void RolloutIsSeededAndHonoursTheStepCap()
    {
        var a = RolloutCommand.Run("MinAtar/Asterix-v1", "random", 5, 11, maxSteps: null);
        var b = RolloutCommand.Run("MinAtar/Asterix-v1", "random", 5, 11, maxSteps: null);
        Assert.Equal(a.Episodes, b.Episodes);
        var capped = RolloutCommand.Run("MinAtar/Freeway-v1", "always-up", 2, 0, maxSteps: 30);
        Assert.All(capped.Episodes, e => Assert.True(e.Truncated && e.Length == 30));
    }

    [Fact]
    public void UnknownEnvOrPolicyFailsWithTheAcceptedValues()
    {
        var env = Assert.ThrowsAny<ArgumentException>(() => RolloutCommand.Run("MinAtar/Pong-v1", "random", 1, 0, null));
        Assert.Contains("MinAtar/Breakout-v1", env.Message);
        var policy = Assert.ThrowsAny<ArgumentException>(() => RolloutCommand.Run("MinAtar/Breakout-v1", "always-fire", 1, 0, null));
        Assert.Contains("always-left", policy.Message);
        Assert.Equal(1, Invoke("rollout", "--env", "MinAtar/Pong-v1"));
    }

    [Fact]
    public void EnvsListsAndBenchMeasures()
    {
        Assert.Equal(0, Invoke("envs"));
        var single = BenchEnvsCommand.Single("MinAtar/Breakout-v1", 0.05);
        var vector = BenchEnvsCommand.Vector("MinAtar/Breakout-v1", 4, 0.05);
        Assert.True(single.StepsPerSecond > 0 && vector.StepsPerSecond > 0);
        Assert.Equal((1, 4), (single.NumEnvs, vector.NumEnvs));
    }
}
