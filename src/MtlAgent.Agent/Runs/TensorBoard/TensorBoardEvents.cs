using Google.Protobuf;
using MtlAgent.Agent.Runs.TensorBoard.Proto;

namespace MtlAgent.Agent.Runs.TensorBoard;

/// <summary>Reads event files back with TensorBoard's messages, checking both checksums of every record (for tests and tools).</summary>
public static class TensorBoardEvents
{
    /// <summary>The event files directly in <paramref name="directory"/>, in name order (TensorBoard's reading order).</summary>
    public static IReadOnlyList<string> Files(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, EventFileWriter.FilePrefix + "*")
                .Where(f => !IO.Durable.IsTemporary(f)).Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>
    /// Every event of the file at <paramref name="path"/>, in order. A damaged record throws <see cref="InvalidDataException"/>
    /// naming the file and the record's offset; so does a torn last record unless <paramref name="tolerateTornTail"/>
    /// (what a writer killed mid-record leaves), which is then left out.
    /// </summary>
    public static IReadOnlyList<Event> Read(string path, bool tolerateTornTail = false)
    {
        var scan = TfRecord.Scan(File.ReadAllBytes(path));
        if (scan.Defect is { } d && !(d.Torn && tolerateTornTail))
            throw new InvalidDataException($"event file '{path}': {d.Problem} at offset {d.Offset}");
        return scan.Records.Select(r => Parse(r, path)).ToList();
    }

    /// <summary>The scalars of <paramref name="events"/>: tag, step, value and wall time of each summary value.</summary>
    public static IEnumerable<(string Tag, long Step, float Value, double WallTime)> Scalars(IEnumerable<Event> events) =>
        from e in events
        where e.WhatCase == Event.WhatOneofCase.Summary
        from v in e.Summary.Value
        where v.ValueCase == Summary.Types.Value.ValueOneofCase.SimpleValue
        select (v.Tag, e.Step, v.SimpleValue, e.WallTime);

    /// <summary>The event in a valid record; a record whose checksums hold but whose bytes are no event throws, naming it.</summary>
    internal static Event Parse(TfRecordSlice record, string path)
    {
        try
        {
            return Event.Parser.ParseFrom(record.Data.Span);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException(
                $"event file '{path}': the record at offset {record.Offset} is no Event message ({e.Message})", e);
        }
    }
}
