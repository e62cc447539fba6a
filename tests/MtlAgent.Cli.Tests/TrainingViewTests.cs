using MtlAgent.Agent.Runs;
using MtlAgent.Agent.Training;
using MtlAgent.Cli.Training;
using Spectre.Console;

namespace MtlAgent.Cli.Tests;

public class TrainingViewTests
{
    private static GameSnapshot Game(string env, bool regressing = false, bool stalled = false) =>
        new(env, 12, 3.5, 0.25, 0.1, 0, 0, 0.5, 2.0, 1.0, regressing, stalled);

    private static TrainingSnapshot Snapshot(long frames, long updates, params GameSnapshot[] games) =>
        new(frames, updates, games, games[^1].Env, 0.25, 0.25, 0.25);

    [Fact]
    public void LiveView_ShowsEveryGame_TheWorstGame_TheFlags_AndTheRate()
    {
        var s = Snapshot(1_000, 500, Game("MinAtar/Breakout-v0"), Game("MinAtar/Seaquest-v0", regressing: true, stalled: true));
        var progress = new TrainingProgress(s, Losses: [0.02, 0.00012], TargetFrames: 4_000, FramesPerSecond: 200, WallSeconds: 10);
        var text = Render(LiveView.Render(progress, "/runs/x"));
        Assert.Contains("Breakout-v0", text);
        Assert.Contains("Seaquest-v0", text);
        Assert.Contains("regressing stalled", text);
        Assert.Contains("1.2e-4", text);                                // compact loss
        Assert.Contains("25%", text);
        Assert.Contains("200 frames/s", text);
        Assert.Contains("ETA 0:00:30", text);                           // 3,000 frames x 2 games at 200/s
        Assert.Contains("worst Seaquest-v0 0.25", text);
    }

    private static string Render(Spectre.Console.Rendering.IRenderable renderable)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 120;
        console.Write(renderable);
        return writer.ToString();
    }
}
