using System.Text.RegularExpressions;
using MtlAgent.Envs.Rendering;

namespace MtlAgent.Cli.Tests;

[Collection(SmokeCheckpointCollection.Name)]
public class ReplayCommandTests(SmokeCheckpointFixture smoke)
{
    private MtlChildProcess.Result Replay(params string[] args) => MtlChildProcess.Run(smoke.Root, ["replay", .. args]);

    private static List<int> StepsPerEpisode(string stdout) =>
        Regex.Matches(stdout, @"episode \d+/\d+: return [-\d.]+ in (\d+) steps").Select(m => int.Parse(m.Groups[1].Value)).ToList();

    [Fact]
    public void Gif_DecodesWithTheInitialFrameAndOneFramePerStepOfEachEpisode()
    {
        var gif = Path.Combine(smoke.Root, $"replay-{Guid.NewGuid():N}.gif");
        var run = Replay("--checkpoint", smoke.RunDirectory, "--game", "MinAtar/Breakout-v0", "--episodes", "2", "--seed", "3",
            "--gif", gif, "--fps", "20");
        Assert.True(run.ExitCode == 0, run.ToString());

        var steps = StepsPerEpisode(run.Stdout);
        Assert.Equal(2, steps.Count);
        var image = GifDecoder.Decode(gif);
        Assert.Equal(steps.Sum() + steps.Count, image.Frames.Count);
        Assert.All(image.Frames, f => Assert.Equal(5, f.DelayCentiseconds));
        Assert.Equal(80, image.Width);
        Assert.Contains($"wrote {image.Frames.Count} frames", run.Stdout);
        Assert.DoesNotContain("\u001b[", run.Stdout);   // no terminal rendering, only the summary
    }

    [Fact]
    public void Terminal_ShowsScoreStepActionAndQValue_ForEveryStep()
    {
        var run = Replay("--checkpoint", smoke.Checkpoint, "--game", "MinAtar/Asterix-v0", "--fps", "1000", "--seed", "2");
        Assert.True(run.ExitCode == 0, run.ToString());
        int steps = Assert.Single(StepsPerEpisode(run.Stdout));
        Assert.Contains("MinAtar/Asterix-v0  episode 1/1  step 0  score 0", run.Stdout);
        Assert.Contains($"step {steps}  score", run.Stdout);
        Assert.Equal(steps, Regex.Matches(run.Stdout, @"action (noop|left|up|right|down|fire) +Q -?\d+\.\d{3} \((greedy|random)\)").Count);
    }

    [Fact]
    public void SameSeed_SameEpisodes()
    {
        var a = Replay("--checkpoint", smoke.Checkpoint, "--game", "MinAtar/Breakout-v0", "--episodes", "3", "--fps", "1000",
            "--seed", "9");
        var b = Replay("--checkpoint", smoke.Checkpoint, "--game", "MinAtar/Breakout-v0", "--episodes", "3", "--fps", "1000",
            "--seed", "9");
        Assert.True(a.ExitCode == 0, a.ToString());
        Assert.Equal(a.Stdout, b.Stdout);
    }

    [Fact]
    public void PlaysTheEpisodesEvalCountedWithTheSameSeed()
    {
        var json = Path.Combine(smoke.Root, $"eval-{Guid.NewGuid():N}.json");
        var eval = MtlChildProcess.Run(smoke.Root,
            ["eval", "--checkpoint", smoke.Checkpoint, "--games", "MinAtar/Breakout-v0", "--episodes", "3", "--seed", "4", "--json", json]);
        Assert.True(eval.ExitCode == 0, eval.ToString());
        var replay = Replay("--checkpoint", smoke.Checkpoint, "--game", "MinAtar/Breakout-v0", "--episodes", "3", "--seed", "4",
            "--gif", json + ".gif");
        Assert.True(replay.ExitCode == 0, replay.ToString());

        var returns = Regex.Matches(replay.Stdout, @"return ([-\d.]+) in").Select(m => double.Parse(m.Groups[1].Value)).ToList();
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(doc.RootElement.GetProperty("games")[0].GetProperty("return_mean").GetDouble(), returns.Average(), 12);
    }

    [Fact]
    public void AGameTheCheckpointWasNotTrainedOn_ListsTheGamesItHas()
    {
        var run = Replay("--checkpoint", smoke.Checkpoint, "--game", "MinAtar/Freeway-v0");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(
            $"error: game 'MinAtar/Freeway-v0' is not in checkpoint '{smoke.Checkpoint}'; it has: " +
            $"{string.Join(", ", SmokeCheckpointFixture.Games)}",
            run.Stderr.Trim());
    }

    [Fact]
    public void CorruptCheckpoint_IsAClearError_AndWritesNoGif()
    {
        var copy = smoke.CopyOfCheckpoint();
        File.WriteAllText(Path.Combine(copy, "model.safetensors"), "not a safetensors file");
        var gif = Path.Combine(smoke.Root, $"corrupt-{Guid.NewGuid():N}.gif");
        var run = Replay("--checkpoint", copy, "--game", "MinAtar/Breakout-v0", "--gif", gif);
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: ", run.Stderr);
        Assert.Contains("model.safetensors", run.Stderr);
        Assert.False(File.Exists(gif));
    }

    [Theory]
    [InlineData("--episodes", "0", "episodes must be at least 1, got 0")]
    [InlineData("--fps", "0", "fps must be in (0, 1000], got 0")]
    public void BadOptionValues_AreClearErrors(string option, string value, string message)
    {
        var run = Replay("--checkpoint", smoke.Checkpoint, "--game", "MinAtar/Breakout-v0", option, value);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: {message}", run.Stderr.Trim());
    }
}
