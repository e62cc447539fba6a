namespace MtlAgent.Cli.Tests;

/// <summary>
/// `mtl eval` and `mtl replay` of the schema-1 checkpoint written by the last bridge build (tests/fixtures), and the
/// refusal to resume it.
/// </summary>
public class SchemaOneCheckpointTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures");

    [Fact]
    public void Eval_GivesTheNumbersTheBridgeBuildPrinted()
    {
        var root = MtlChildProcess.TempDirectory("mtl-schema1");
        var json = Path.Combine(root, "eval.json");
        var r = MtlChildProcess.Run(root,
            ["eval", "--checkpoint", Path.Combine(Fixtures, "schema1-run"), "--episodes", "10", "--seed", "3", "--json", json]);
        Assert.True(r.ExitCode == 0, r.ToString());
        var expected = Agent.Evaluation.EvaluationJson.Deserialize(
            File.ReadAllText(Path.Combine(Fixtures, "schema1-run.eval-seed3-episodes10.json")));
        var got = Agent.Evaluation.EvaluationJson.Deserialize(File.ReadAllText(json));
        Assert.Equal(expected.Games.Select(Agent.Evaluation.EvaluationJson.Serialize),
            got.Games.Select(Agent.Evaluation.EvaluationJson.Serialize));
        Assert.Equal(2000, got.Frames);
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void Replay_WritesTheSameGifAsTheBridgeBuild()
    {
        var root = MtlChildProcess.TempDirectory("mtl-schema1");
        var gif = Path.Combine(root, "replay.gif");
        var r = MtlChildProcess.Run(root, ["replay", "--checkpoint", Path.Combine(Fixtures, "schema1-run"), "--game", "MinAtar/Breakout-v0",
            "--episodes", "2", "--seed", "3", "--gif", gif]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("episode 1/2: return 0 in 6 steps", r.Stdout);
        Assert.Contains("episode 2/2: return 1 in 16 steps", r.Stdout);
        // MD5 of the GIF that build wrote for the same command.
        Assert.Equal("2b130a7ec2d98be25b89f143ac253835",
            Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(File.ReadAllBytes(gif))));
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void Resume_IsRefusedNamingTheSchema_AndLeavesTheRunAsItWas()
    {
        var root = MtlChildProcess.TempDirectory("mtl-schema1");
        var run = Path.Combine(root, "run");
        CopyDirectory(Path.Combine(Fixtures, "schema1-run"), run);
        var before = Directory.GetFiles(run, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
        var r = MtlChildProcess.Run(root, ["train", "--resume", run, "--frames", "3000"]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("schema 1", r.Stderr);
        foreach (var (file, bytes) in before.Where(kv => !kv.Key.EndsWith("train.log")))
            Assert.Equal(bytes, File.ReadAllBytes(file));
        Directory.Delete(root, recursive: true);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        foreach (var d in Directory.GetDirectories(from)) CopyDirectory(d, Path.Combine(to, Path.GetFileName(d)));
    }
}
