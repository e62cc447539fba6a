using System.Globalization;
using Google.Protobuf;
using MtlAgent.Agent.Runs.TensorBoard.Proto;

namespace MtlAgent.Agent.Runs.TensorBoard;

/// <summary>
/// One TensorBoard event file, <c>events.out.tfevents.&lt;unix seconds&gt;.&lt;host&gt;.&lt;pid&gt;.&lt;n&gt;</c> in a
/// directory, written by this process alone. The file is created at the first <see cref="Append"/>, starting with the
/// <c>brain.Event:2</c> version record TensorBoard looks for; every <see cref="Append"/> then adds its records and
/// closes the file again, so a kill can tear only the records being written, never earlier ones.
/// </summary>
public sealed class EventFileWriter(string directory, Func<double>? unixSeconds = null)
{
    /// <summary>What every event file name starts with (TensorBoard reads the files whose names hold <c>tfevents</c>).</summary>
    public const string FilePrefix = "events.out.tfevents.";

    /// <summary>The version record's text (version 2 makes TensorBoard honour SessionLog START events).</summary>
    public const string FileVersion = "brain.Event:2";

    private static int s_counter;

    private readonly Func<double> _clock = unixSeconds ?? (() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds);

    /// <summary>The file, once the first <see cref="Append"/> has created it.</summary>
    public string? Path { get; private set; }

    /// <summary>The real time stamped on events written now, in unix seconds.</summary>
    public double Now() => _clock();

    /// <summary>Appends <paramref name="events"/> as records and flushes them (creating the file first, if need be).</summary>
    public void Append(IEnumerable<Event> events)
    {
        using var stream = Path is null ? Create() : new FileStream(Path, FileMode.Append, FileAccess.Write);
        // One write of the whole batch: the records reach the file together or, after a kill, up to a torn last one.
        using var batch = new MemoryStream();
        foreach (var e in events) batch.Write(TfRecord.Frame(e.ToByteArray()));
        stream.Write(batch.GetBuffer().AsSpan(0, (int)batch.Length));
    }

    private FileStream Create()
    {
        Directory.CreateDirectory(directory);
        double now = Now();
        while (true)
        {
            // The counter keeps names unique within a process (several files in one second); CreateNew, against any other.
            // Zero-padded, so that name order (TensorBoard's and TensorBoardEvents.Files's) is creation order: "10" < "9".
            var name = string.Create(CultureInfo.InvariantCulture, $"{FilePrefix}{(long)Math.Floor(now)}.{Environment.MachineName}"
                + $".{Environment.ProcessId}.{Interlocked.Increment(ref s_counter):D6}");
            var path = System.IO.Path.Combine(directory, name);
            if (File.Exists(path)) continue;
            var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            stream.Write(TfRecord.Frame(new Event { WallTime = now, FileVersion = FileVersion }.ToByteArray()));
            Path = path;
            return stream;
        }
    }
}
