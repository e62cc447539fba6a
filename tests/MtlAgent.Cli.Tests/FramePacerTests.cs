using MtlAgent.Cli.Output;

namespace MtlAgent.Cli.Tests;

public class FramePacerTests
{
    // A fake clock that advances only when the pacer sleeps or the test says work took time.
    private sealed class FakeClock
    {
        public TimeSpan Now;
        public readonly List<TimeSpan> Sleeps = [];
        public void Sleep(TimeSpan t) { Sleeps.Add(t); Now += t; }
    }

    [Fact]
    public void FramesAreDueOneIntervalApartWithoutDrift()
    {
        var clock = new FakeClock();
        var pacer = new FramePacer(10, () => clock.Now, clock.Sleep);
        pacer.WaitForNextFrame();                        // first frame: at once
        clock.Now += TimeSpan.FromMilliseconds(30);      // rendering took 30 ms
        pacer.WaitForNextFrame();
        clock.Now += TimeSpan.FromMilliseconds(120);     // a slow frame, 20 ms late
        pacer.WaitForNextFrame();
        pacer.WaitForNextFrame();
        Assert.Equal([TimeSpan.FromMilliseconds(70), TimeSpan.FromMilliseconds(80)], clock.Sleeps);
        Assert.Equal(TimeSpan.FromMilliseconds(300), clock.Now);
    }

    [Fact]
    public void AfterALongStallTheScheduleRestartsInsteadOfRacing()
    {
        var clock = new FakeClock();
        var pacer = new FramePacer(10, () => clock.Now, clock.Sleep);
        pacer.WaitForNextFrame();
        clock.Now += TimeSpan.FromSeconds(5);
        pacer.WaitForNextFrame();                        // late: shown at once, schedule restarts
        pacer.WaitForNextFrame();
        Assert.Equal([TimeSpan.FromMilliseconds(100)], clock.Sleeps);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void RejectsRatesThatAreNotPositive(double fps) =>
        Assert.Contains("fps", Assert.Throws<ArgumentException>(() => new FramePacer(fps)).Message);
}
