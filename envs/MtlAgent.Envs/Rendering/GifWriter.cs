using System.Text;

namespace MtlAgent.Envs.Rendering;

/// <summary>
/// Writes an animated GIF89a: one global palette, LZW-compressed frames, a per-frame delay and a
/// NETSCAPE2.0 loop extension. Given a path, it writes to a temporary name and renames on dispose.
/// </summary>
public sealed class GifWriter : IDisposable
{
    private const int MaxCodes = 4096;
    private readonly Stream _stream;
    private readonly string? _path, _tempPath;
    private readonly int _width, _height, _paletteBits;
    private bool _finished;

    /// <summary>Starts a GIF in <paramref name="stream"/> (left open).</summary>
    /// <param name="stream">Destination.</param>
    /// <param name="width">Frame width in pixels.</param>
    /// <param name="height">Frame height in pixels.</param>
    /// <param name="palette">RGB triples, 1..256 colours.</param>
    /// <param name="loopCount">Times to repeat; 0 loops forever.</param>
    public GifWriter(Stream stream, int width, int height, IReadOnlyList<(byte R, byte G, byte B)> palette, int loopCount = 0)
    {
        if (width is < 1 or > 65535) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be in 1..65535");
        if (height is < 1 or > 65535) throw new ArgumentOutOfRangeException(nameof(height), height, "height must be in 1..65535");
        if (palette.Count is < 1 or > 256)
            throw new ArgumentOutOfRangeException(nameof(palette), palette.Count, "palette must hold 1..256 colours");
        if (loopCount is < 0 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(loopCount), loopCount, "loop count must be in 0..65535");
        _stream = stream;
        _width = width;
        _height = height;
        _paletteBits = 1;
        while ((1 << _paletteBits) < palette.Count) _paletteBits++;
        WriteHeader(palette, loopCount);
    }

    private GifWriter(string path, string tempPath, int width, int height, IReadOnlyList<(byte R, byte G, byte B)> palette, int loopCount)
        : this(new FileStream(tempPath, FileMode.Create, FileAccess.Write), width, height, palette, loopCount)
    {
        _path = path;
        _tempPath = tempPath;
    }

    /// <summary>Starts a GIF file; it appears under <paramref name="path"/> only when disposed.</summary>
    public static GifWriter Create(string path, int width, int height, IReadOnlyList<(byte R, byte G, byte B)> palette, int loopCount = 0)
    {
        string full = Path.GetFullPath(path);
        return new GifWriter(full, full + ".tmp", width, height, palette, loopCount);
    }

    /// <summary>Writes the observations of an episode as frames drawn by <see cref="FrameRenderer"/>.</summary>
    public static void WriteEpisode(string path, IEnumerable<byte[]> observations, int channels, int scale = 8, int delayCentiseconds = 10)
    {
        int size = 10 * scale;
        using var gif = Create(path, size, size, Palette.Colors);
        foreach (byte[] obs in observations) gif.AddFrame(FrameRenderer.Indexed(obs, channels, scale), delayCentiseconds);
    }

    /// <summary>Appends a frame of palette indices (row-major, width*height) shown for the given hundredths of a second.</summary>
    public void AddFrame(ReadOnlySpan<byte> indices, int delayCentiseconds)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (indices.Length != _width * _height)
            throw new ArgumentException(
                $"frame holds {indices.Length} pixels; expected {_width}x{_height} = {_width * _height}", nameof(indices));
        if (delayCentiseconds is < 0 or > 65535)
            throw new ArgumentOutOfRangeException(
                nameof(delayCentiseconds), delayCentiseconds, "delay must be in 0..65535 hundredths of a second");
        int colours = 1 << _paletteBits;
        foreach (byte i in indices)
            if (i >= colours) throw new ArgumentException($"pixel index {i} outside the {colours}-colour palette", nameof(indices));

        // Graphic control extension: no transparency, keep the frame, the delay.
        _stream.Write([0x21, 0xF9, 0x04, 0x04]);
        WriteUInt16(delayCentiseconds);
        _stream.Write([0x00, 0x00]);
        // Image descriptor covering the whole screen, no local palette, not interlaced.
        _stream.WriteByte(0x2C);
        WriteUInt16(0); WriteUInt16(0); WriteUInt16(_width); WriteUInt16(_height);
        _stream.WriteByte(0x00);
        int minCodeSize = Math.Max(2, _paletteBits);
        _stream.WriteByte((byte)minCodeSize);
        WriteSubBlocks(LzwEncode(indices, minCodeSize));
    }

    private void WriteHeader(IReadOnlyList<(byte R, byte G, byte B)> palette, int loopCount)
    {
        _stream.Write(Encoding.ASCII.GetBytes("GIF89a"));
        WriteUInt16(_width);
        WriteUInt16(_height);
        // Global colour table present, 8-bit colour resolution, table of 2^paletteBits entries.
        _stream.WriteByte((byte)(0x80 | 0x70 | (_paletteBits - 1)));
        _stream.WriteByte(0); // background colour index
        _stream.WriteByte(0); // no aspect ratio
        for (int i = 0; i < 1 << _paletteBits; i++)
        {
            var (r, g, b) = i < palette.Count ? palette[i] : ((byte)0, (byte)0, (byte)0);
            _stream.Write([r, g, b]);
        }
        _stream.Write([0x21, 0xFF, 0x0B]);
        _stream.Write(Encoding.ASCII.GetBytes("NETSCAPE2.0"));
        _stream.Write([0x03, 0x01]);
        WriteUInt16(loopCount);
        _stream.WriteByte(0x00);
    }

    /// <summary>GIF's variable-width LZW: codes grow from minCodeSize+1 to 12 bits; a clear code restarts a full table.</summary>
    internal static byte[] LzwEncode(ReadOnlySpan<byte> indices, int minCodeSize)
    {
        int clear = 1 << minCodeSize, end = clear + 1, alphabet = 1 << minCodeSize;
        // table[prefix * alphabet + symbol] = code + 1 (0: absent)
        var table = new int[MaxCodes * alphabet];
        var bits = new BitPacker();
        int codeSize = minCodeSize + 1, next = end + 1;
        bits.Write(clear, codeSize);
        if (indices.IsEmpty)
        {
            bits.Write(end, codeSize);
            return bits.ToArray();
        }
        int prefix = indices[0];
        for (int i = 1; i < indices.Length; i++)
        {
            int symbol = indices[i];
            int key = prefix * alphabet + symbol;
            if (table[key] != 0) { prefix = table[key] - 1; continue; }
            bits.Write(prefix, codeSize);
            if (next < MaxCodes)
            {
                table[key] = next + 1;
                next++;
                // The decoder learns each code one step later, so widen once next exceeds the current range.
                if (next > 1 << codeSize && codeSize < 12) codeSize++;
            }
            else
            {
                bits.Write(clear, codeSize);
                Array.Clear(table);
                codeSize = minCodeSize + 1;
                next = end + 1;
            }
            prefix = symbol;
        }
        bits.Write(prefix, codeSize);
        bits.Write(end, codeSize);
        return bits.ToArray();
    }

    private void WriteSubBlocks(byte[] data)
    {
        for (int i = 0; i < data.Length; i += 255)
        {
            int n = Math.Min(255, data.Length - i);
            _stream.WriteByte((byte)n);
            _stream.Write(data, i, n);
        }
        _stream.WriteByte(0);
    }

    private void WriteUInt16(int v)
    {
        _stream.WriteByte((byte)(v & 0xFF));
        _stream.WriteByte((byte)(v >> 8));
    }

    /// <summary>Writes the trailer; a file-backed writer then renames its temporary file into place.</summary>
    public void Dispose()
    {
        if (_finished) return;
        _finished = true;
        _stream.WriteByte(0x3B);
        _stream.Flush();
        if (_path is null) return;
        _stream.Dispose();
        File.Move(_tempPath!, _path, overwrite: true);
    }

    /// <summary>Packs codes least-significant bit first, as GIF requires.</summary>
    private sealed class BitPacker
    {
        private readonly MemoryStream _out = new();
        private int _buffer, _count;

        internal void Write(int code, int size)
        {
            _buffer |= code << _count;
            _count += size;
            while (_count >= 8)
            {
                _out.WriteByte((byte)_buffer);
                _buffer >>= 8;
                _count -= 8;
            }
        }

        internal byte[] ToArray()
        {
            if (_count > 0) _out.WriteByte((byte)_buffer);
            _buffer = 0;
            _count = 0;
            return _out.ToArray();
        }
    }
}
