using System.Text;

namespace MtlAgent.Envs.Rendering;

/// <summary>One decoded GIF frame: palette indices (row-major) and its delay in hundredths of a second.</summary>
/// <param name="Indices">Palette index per pixel.</param>
/// <param name="DelayCentiseconds">Display time.</param>
public sealed record GifFrame(byte[] Indices, int DelayCentiseconds);

/// <summary>A decoded GIF: screen size, global palette, loop count (null without NETSCAPE2.0) and frames.</summary>
/// <param name="Width">Screen width.</param>
/// <param name="Height">Screen height.</param>
/// <param name="Palette">Global colour table.</param>
/// <param name="LoopCount">NETSCAPE2.0 loop count, null if absent.</param>
/// <param name="Frames">Frames in order.</param>
public sealed record GifImage(int Width, int Height, IReadOnlyList<(byte R, byte G, byte B)> Palette, int? LoopCount,
    IReadOnlyList<GifFrame> Frames);

/// <summary>
/// A small GIF reader for checking what <see cref="GifWriter"/> wrote: global palette, full-screen
/// frames, graphic control and application extensions. Local palettes, partial frames and
/// interlacing are reported as unsupported.
/// </summary>
public static class GifDecoder
{
    /// <summary>Decodes a GIF file.</summary>
    public static GifImage Decode(string path) => Decode(File.ReadAllBytes(path));

    /// <summary>Decodes GIF bytes; malformed data throws <see cref="InvalidDataException"/>.</summary>
    public static GifImage Decode(byte[] data)
    {
        var r = new Reader(data);
        string signature = Encoding.ASCII.GetString(r.Bytes(6));
        if (signature is not ("GIF89a" or "GIF87a")) throw new InvalidDataException($"not a GIF (signature '{signature}')");
        int width = r.UInt16(), height = r.UInt16();
        int packed = r.Byte();
        r.Byte(); r.Byte();
        if ((packed & 0x80) == 0) throw new NotSupportedException("GIF without a global colour table");
        int colours = 1 << ((packed & 7) + 1);
        var palette = new (byte, byte, byte)[colours];
        for (int i = 0; i < colours; i++) palette[i] = ((byte)r.Byte(), (byte)r.Byte(), (byte)r.Byte());

        int? loop = null;
        int delay = 0;
        var frames = new List<GifFrame>();
        while (true)
        {
            int block = r.Byte();
            if (block == 0x3B) break;
            if (block == 0x21)
            {
                int label = r.Byte();
                byte[] first = r.SubBlock();
                if (label == 0xF9 && first.Length >= 4) delay = first[1] | first[2] << 8;
                if (label == 0xFF && Encoding.ASCII.GetString(first) == "NETSCAPE2.0")
                {
                    byte[] sub = r.SubBlock();
                    if (sub.Length >= 3 && sub[0] == 1) loop = sub[1] | sub[2] << 8;
                    if (sub.Length == 0) continue;
                }
                while (r.SubBlock().Length > 0) { }
                continue;
            }
            if (block != 0x2C) throw new InvalidDataException($"unexpected block 0x{block:X2} at byte {r.Position - 1}");
            int left = r.UInt16(), top = r.UInt16(), w = r.UInt16(), h = r.UInt16();
            int flags = r.Byte();
            if (left != 0 || top != 0 || w != width || h != height) throw new NotSupportedException("partial-screen frames");
            if ((flags & 0xC0) != 0) throw new NotSupportedException("local colour tables or interlacing");
            int minCodeSize = r.Byte();
            if (minCodeSize is < 2 or > 8) throw new InvalidDataException($"bad LZW minimum code size {minCodeSize}");
            var compressed = new MemoryStream();
            for (byte[] sub = r.SubBlock(); sub.Length > 0; sub = r.SubBlock()) compressed.Write(sub);
            frames.Add(new GifFrame(LzwDecode(compressed.ToArray(), minCodeSize, width * height), delay));
            delay = 0;
        }
        return new GifImage(width, height, palette, loop, frames);
    }

    /// <summary>GIF LZW decoding into exactly <paramref name="pixels"/> indices.</summary>
    internal static byte[] LzwDecode(byte[] data, int minCodeSize, int pixels)
    {
        int clear = 1 << minCodeSize, end = clear + 1;
        var prefix = new int[4096];
        var suffix = new byte[4096];
        var first = new byte[4096];
        for (int i = 0; i < clear; i++) { prefix[i] = -1; suffix[i] = (byte)i; first[i] = (byte)i; }
        var output = new byte[pixels];
        var stack = new byte[4096];
        int written = 0, codeSize = minCodeSize + 1, next = end + 1, previous = -1;
        int bitPos = 0;
        while (true)
        {
            if (bitPos + codeSize > data.Length * 8) throw new InvalidDataException("LZW data ended without an end code");
            int code = 0;
            for (int b = 0; b < codeSize; b++, bitPos++)
                code |= (data[bitPos >> 3] >> (bitPos & 7) & 1) << b;
            if (code == clear)
            {
                codeSize = minCodeSize + 1;
                next = end + 1;
                previous = -1;
                continue;
            }
            if (code == end) break;
            if (code > next || (code == next && previous < 0)) throw new InvalidDataException($"bad LZW code {code} (next free {next})");
            int c = code;
            int depth = 0;
            if (code == next)
            {
                // The KwKwK case: the new string is previous + its own first symbol.
                stack[depth++] = first[previous];
                c = previous;
            }
            while (c >= 0)
            {
                stack[depth++] = suffix[c];
                c = prefix[c];
            }
            if (written + depth > pixels) throw new InvalidDataException("LZW data holds more pixels than the frame");
            for (int i = depth - 1; i >= 0; i--) output[written++] = stack[i];
            if (previous >= 0 && next < 4096)
            {
                prefix[next] = previous;
                suffix[next] = code == next ? first[previous] : first[code];
                first[next] = first[previous];
                next++;
                if (next == 1 << codeSize && codeSize < 12) codeSize++;
            }
            previous = code;
        }
        if (written != pixels) throw new InvalidDataException($"frame holds {written} pixels; expected {pixels}");
        return output;
    }

    private sealed class Reader(byte[] data)
    {
        internal int Position { get; private set; }

        internal int Byte()
        {
            if (Position >= data.Length) throw new InvalidDataException("GIF ended early (no trailer)");
            return data[Position++];
        }

        internal int UInt16() => Byte() | Byte() << 8;

        internal byte[] Bytes(int n)
        {
            if (Position + n > data.Length) throw new InvalidDataException("GIF ended early");
            byte[] b = data.AsSpan(Position, n).ToArray();
            Position += n;
            return b;
        }

        internal byte[] SubBlock() => Bytes(Byte());
    }
}
