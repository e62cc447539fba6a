namespace MtlAgent.Agent.Runs.TensorBoard;

/// <summary>What <see cref="TfRecord.Scan"/> found in a file: its valid records in order, and the defect that ended them, if any.</summary>
public sealed record TfRecordScan(IReadOnlyList<TfRecordSlice> Records, TfRecordDefect? Defect);

/// <summary>One valid record: where it starts in the file, its framed bytes (header, data, footer) and its data.</summary>
public sealed record TfRecordSlice(long Offset, ReadOnlyMemory<byte> Framed, ReadOnlyMemory<byte> Data);

/// <summary>
/// The first record that is not valid: its offset, what is wrong, and whether the file merely ends inside it
/// (<paramref name="Torn"/>: what a writer killed mid-record leaves) rather than holding wrong bytes.
/// </summary>
public sealed record TfRecordDefect(long Offset, string Problem, bool Torn);
