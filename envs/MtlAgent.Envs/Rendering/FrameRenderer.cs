namespace MtlAgent.Envs.Rendering;

/// <summary>Draws observations as images with square cells of <c>scale</c> pixels.</summary>
public static class FrameRenderer
{
    /// <summary>Palette indices, row-major, <c>(10*scale) x (10*scale)</c>.</summary>
    public static byte[] Indexed(ReadOnlySpan<byte> obs, int channels, int scale = 8)
    {
        Palette.Validate(obs, channels);
        if (scale < 1) throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale must be at least 1");
        int size = 10 * scale;
        var pixels = new byte[size * size];
        for (int cell = 0; cell < 100; cell++)
        {
            byte index = Palette.CellIndex(obs, channels, cell);
            int y0 = cell / 10 * scale, x0 = cell % 10 * scale;
            for (int dy = 0; dy < scale; dy++) pixels.AsSpan((y0 + dy) * size + x0, scale).Fill(index);
        }
        return pixels;
    }

    /// <summary>RGB bytes, row-major, <c>H*W*3</c> with <c>H = W = 10*scale</c>.</summary>
    public static byte[] Rgb(ReadOnlySpan<byte> obs, int channels, int scale = 8)
    {
        byte[] indexed = Indexed(obs, channels, scale);
        var rgb = new byte[indexed.Length * 3];
        for (int i = 0; i < indexed.Length; i++)
        {
            var (r, g, b) = Palette.Colors[indexed[i]];
            rgb[3 * i] = r; rgb[3 * i + 1] = g; rgb[3 * i + 2] = b;
        }
        return rgb;
    }
}
