using System.Buffers.Binary;
using System.Numerics;

namespace MtlAgent.Agent.Runs.TensorBoard;

/// <summary>
/// TFRecord framing, the container of TensorBoard event files: each record is its length (uint64, little-endian), the
/// masked CRC-32C of those 8 bytes (uint32), the data, and the masked CRC-32C of the data (uint32). The two checksums let
/// a reader tell a complete record from a torn or damaged one, so a writer killed mid-record loses only that record.
/// </summary>
public static class TfRecord
{
    /// <summary>Bytes before a record's data: length and its checksum.</summary>
    public const int HeaderLength = 12;

    /// <summary>Bytes after a record's data: its checksum.</summary>
    public const int FooterLength = 4;

    /// <summary>The framed record of <paramref name="data"/>, as it goes into the file.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> data)
    {
        var record = new byte[HeaderLength + data.Length + FooterLength];
        BinaryPrimitives.WriteUInt64LittleEndian(record, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), MaskedCrc32C(record.AsSpan(0, 8)));
        data.CopyTo(record.AsSpan(HeaderLength));
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(HeaderLength + data.Length), MaskedCrc32C(data));
        return record;
    }

    /// <summary>CRC-32C (Castagnoli) of <paramref name="data"/>, with the usual all-ones start and final inversion.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = ~0u;
        // BitOperations.Crc32C is one step of the CRC (the SSE4.2 / ARMv8 instruction where there is one), eight bytes at a time.
        for (; data.Length >= 8; data = data[8..]) crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
        foreach (var b in data) crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }

    /// <summary>
    /// The checksum TFRecord stores: CRC-32C rotated right by 15 bits plus a constant, so that a CRC computed over data that
    /// itself holds CRCs does not come out trivially.
    /// </summary>
    public static uint MaskedCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8;
    }

    /// <summary>
    /// Splits <paramref name="file"/> into its records, checking both checksums of each; stops at the first record that
    /// is incomplete or whose checksum is wrong (nothing after it can be framed with confidence) and says what it found.
    /// </summary>
    public static TfRecordScan Scan(ReadOnlyMemory<byte> file)
    {
        var records = new List<TfRecordSlice>();
        var span = file.Span;
        int offset = 0;
        while (offset < span.Length)
        {
            int left = span.Length - offset;
            if (left < HeaderLength)
                return new(records, new TfRecordDefect(offset, $"torn record: the file ends {left} bytes into its header", Torn: true));
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(span[offset..]);
            if (BinaryPrimitives.ReadUInt32LittleEndian(span[(offset + 8)..]) != MaskedCrc32C(span.Slice(offset, 8)))
                return new(records, new TfRecordDefect(offset, "bad checksum of the record's length", Torn: false));
            int room = left - HeaderLength - FooterLength;                         // data bytes the file could still hold
            if (room < 0 || length > (ulong)room)
            {
                var problem = $"torn record: {length} bytes of data announced, the file ends {left} bytes into the record";
                return new(records, new TfRecordDefect(offset, problem, Torn: true));
            }
            int n = (int)length, whole = HeaderLength + n + FooterLength;
            var data = file.Slice(offset + HeaderLength, n);
            if (BinaryPrimitives.ReadUInt32LittleEndian(span[(offset + HeaderLength + n)..]) != MaskedCrc32C(data.Span))
                return new(records, new TfRecordDefect(offset, "bad checksum of the record's data", Torn: false));
            records.Add(new TfRecordSlice(offset, file.Slice(offset, whole), data));
            offset += whole;
        }
        return new(records, null);
    }
}
