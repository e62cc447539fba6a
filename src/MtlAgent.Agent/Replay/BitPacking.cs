using System.Buffers.Binary;

namespace MtlAgent.Agent.Replay;

/// <summary>Packs MinAtar observations (one 0/1 byte per cell) into bits and back.</summary>
public static class BitPacking
{
    /// <summary>Bytes needed for <paramref name="cells"/> bits.</summary>
    public static int PackedLength(int cells) => (cells + 7) / 8;

    /// <summary>Packs 0/1 bytes into bits, cell k at bit k % 8 of byte k / 8. Values must be 0 or 1.</summary>
    public static void Pack(ReadOnlySpan<byte> cells, Span<byte> packed)
    {
        int full = cells.Length / 8;
        for (int i = 0; i < full; i++)
        {
            // Eight 0/1 bytes gathered into one byte by a single multiply (each byte lands on its own bit of the top byte).
            ulong x = BinaryPrimitives.ReadUInt64LittleEndian(cells.Slice(i * 8, 8));
            packed[i] = (byte)((x * 0x0102040810204080UL) >> 56);
        }
        if (full * 8 < cells.Length)
        {
            int b = 0;
            for (int k = full * 8; k < cells.Length; k++) b |= cells[k] << (k - full * 8);
            packed[full] = (byte)b;
        }
    }

    /// <summary>Unpacks <paramref name="cells"/>.Length bits into 0/1 floats.</summary>
    public static void Unpack(ReadOnlySpan<byte> packed, Span<float> cells)
    {
        for (int k = 0; k < cells.Length; k++) cells[k] = (packed[k >> 3] >> (k & 7)) & 1;
    }

    /// <summary>Unpacks <paramref name="cells"/>.Length bits into 0/1 bytes.</summary>
    public static void Unpack(ReadOnlySpan<byte> packed, Span<byte> cells)
    {
        for (int k = 0; k < cells.Length; k++) cells[k] = (byte)((packed[k >> 3] >> (k & 7)) & 1);
    }
}
