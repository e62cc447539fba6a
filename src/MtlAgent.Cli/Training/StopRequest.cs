using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MtlAgent.Cli.Training;

/// <summary>
/// A request to stop a run after its current step: Ctrl+C, SIGTERM, or (for runs a study started) the starting process
/// going away. A second signal quits at once, except a repeat within <see cref="DuplicateWindow"/>: one Ctrl+C or kill
/// often arrives twice within milliseconds (to the whole process group, then forwarded by a wrapper such as make as it
/// dies), and counts as the same request.
/// </summary>
public sealed class StopRequest : IDisposable
{
    /// <summary>
    /// How long a repeated signal still counts as the first: 2 s, or the seconds in <see cref="DuplicateWindowVariable"/>
    /// (for wrappers slower than that, and for tests on a loaded machine).
    /// </summary>
    public static readonly TimeSpan DuplicateWindow = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable(DuplicateWindowVariable), System.Globalization.CultureInfo.InvariantCulture,
            out var s)
            && s >= 0 ? s : 2);

    /// <summary>Environment variable that sets <see cref="DuplicateWindow"/> in seconds.</summary>
    public const string DuplicateWindowVariable = "MTL_SIGNAL_REPEAT_WINDOW_S";

    private readonly Action<string> _say;
    private readonly object _gate = new();
    private readonly PosixSignalRegistration _sigint, _sigterm;
    private readonly Timer? _watch;
    private readonly int? _parent;
    private long _first;
    private int _requested;

    /// <summary>
    /// Listens for the signals (and, with <paramref name="parent"/>, watches that process); <paramref name="say"/> tells the user.
    /// </summary>
    public StopRequest(Action<string> say, int? parent = null)
    {
        _say = say;
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        _parent = parent;
        if (parent is { } pid) _watch = new Timer(_ => WatchParent(pid), null, 1000, 1000);
    }

    /// <summary>
    /// Whether a stop was asked for. On Linux and macOS this also asks the kernel, at every call, whether the starting
    /// process is still this one's parent, so a run whose study is gone stops at its next step, not up to a second later.
    /// </summary>
    public bool Requested
    {
        get
        {
            if (Volatile.Read(ref _requested) != 0) return true;
            if (_parent is { } pid && (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) && getppid() != pid) WatchParent(pid);
            return Volatile.Read(ref _requested) != 0;
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        lock (_gate)
        {
            if (Volatile.Read(ref _requested) != 0)
            {
                // Not cancelled: the process ends at once, unless it is the same request arriving twice.
                if (Stopwatch.GetElapsedTime(_first) < DuplicateWindow) context.Cancel = true;
                return;
            }
            _first = Stopwatch.GetTimestamp();
            Volatile.Write(ref _requested, 1);
        }
        context.Cancel = true;
        _say($"{context.Signal} received: finishing the current step, then writing a checkpoint (send it again, " +
            $"{DuplicateWindow.TotalSeconds:0.#} s or more later, to quit at once)");
    }

    private void WatchParent(int pid)
    {
        bool gone;
        try { using var p = Process.GetProcessById(pid); gone = p.HasExited; }
        catch (ArgumentException) { gone = true; }
        if (gone && Interlocked.Exchange(ref _requested, 1) == 0)
            _say($"the process that started this run (pid {pid}) is gone: finishing the current step, then writing a checkpoint");
    }

    [DllImport("libc")]
    private static extern int getppid();

    /// <inheritdoc />
    public void Dispose()
    {
        _watch?.Dispose();
        _sigint.Dispose();
        _sigterm.Dispose();
    }
}
