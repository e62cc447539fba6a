using System.Diagnostics;

namespace MtlAgent.Cli.Output;

/// <summary>
/// Paces a live replay at a fixed frame rate. Deadlines are counted from the first frame, so slow
/// rendering does not accumulate drift; after a long stall the schedule restarts rather than racing to catch up.
/// </summary>
public sealed class FramePacer
{
    private readonly TimeSpan _interval;
    private readonly Func<TimeSpan> _now;
    private readonly Action<TimeSpan> _sleep;
    private TimeSpan? _start;
    private long _frame;

    /// <summary>A pacer on the wall clock.</summary>
    public FramePacer(double fps) : this(fps, StopwatchClock(), Thread.Sleep) { }

    /// <summary>A pacer on a given clock and sleep (tests pass fakes).</summary>
    public FramePacer(double fps, Func<TimeSpan> now, Action<TimeSpan> sleep)
    {
        _interval = TimeSpan.FromSeconds(1.0 / CheckFps(fps));
        _now = now;
        _sleep = sleep;
    }

    /// <summary>Returns <paramref name="fps"/> if it is a usable frame rate, else throws naming the accepted range.</summary>
    public static double CheckFps(double fps) =>
        fps > 0 && fps <= 1000 ? fps : throw new ArgumentException($"fps must be in (0, 1000], got {fps}");

    /// <summary>Time between frames.</summary>
    public TimeSpan Interval => _interval;

    /// <summary>Waits until the next frame is due; the first call returns at once.</summary>
    public void WaitForNextFrame()
    {
        var now = _now();
        if (_start is not { } start)
        {
            _start = now;
            _frame = 0;
            return;
        }
        _frame++;
        var due = start + _interval * _frame;
        var wait = due - now;
        if (wait > TimeSpan.Zero) _sleep(wait);
        else if (-wait > _interval)
        {
            // More than a frame late (a paused terminal, a slow step): restart the schedule from now.
            _start = now;
            _frame = 0;
        }
    }

    private static Func<TimeSpan> StopwatchClock()
    {
        var watch = Stopwatch.StartNew();
        return () => watch.Elapsed;
    }
}
