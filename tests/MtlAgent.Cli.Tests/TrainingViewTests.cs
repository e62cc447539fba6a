using MtlAgent.Agent.Training;
using MtlAgent.Cli.Training;
using Spectre.Console;

namespace MtlAgent.Cli.Tests;

public class TrainingViewTests
{
    static GameSnapshot Game(string env, double? loss, bool regressing = false, bool stalled = false) =>
        new(env, 12, 3.5, 0.25, 0.1, loss, 0.5, 2.0, 1.0, regressing, stalled);

    static TrainingSnapshot Snapshot(long frames, long updates, params GameSnapshot[] games) =>
        new(frames, updates, games, games[^1].Env, 0.25, 0.25, 0.25);

    [Fact]
    public void LiveView_ShowsEveryGame_TheWorstGame_TheFlags_AndTheRate()
    {
        var s = Snapshot(1_000, 500, Game("MinAtar/Breakout-v0", 0.02), Game("MinAtar/Seaquest-v0", 0.00012, regressing: true, stalled: true));
        var progress = new TrainingProgress(s, TargetFrames: 4_000, FramesPerSecond: 200, WallSeconds: 10);
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

    [Fact]
    public void IntervalLoss_WeighsEachSnapshotByItsUpdates()
    {
        var loss = new IntervalLoss(games: 1, updates: 100);
        loss.Add(Snapshot(10, 110, Game("g", 1.0)));                    // 10 updates at 1.0
        loss.Add(Snapshot(20, 140, Game("g", 2.0)));                    // 30 updates at 2.0
        var closed = loss.Close(Snapshot(20, 140, Game("g", 2.0)));
        Assert.Equal(1.75, closed.Games[0].Loss!.Value, 12);
        loss.Add(Snapshot(30, 140, Game("g", null)));                   // no update since: no loss
        Assert.Null(loss.Close(Snapshot(30, 140, Game("g", null))).Games[0].Loss);
    }

    static string Render(Spectre.Console.Rendering.IRenderable renderable)
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
