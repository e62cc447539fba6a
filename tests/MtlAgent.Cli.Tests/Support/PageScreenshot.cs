namespace MtlAgent.Cli.Tests.Support;

/// <summary>
/// What a screenshot of a page on a white background shows: how far down there is anything, how much of each horizontal
/// band is drawn, and how many pixels have a given colour.
/// </summary>
public sealed class PageScreenshot(PngImage image)
{
    /// <summary>The image.</summary>
    public PngImage Image { get; } = image;

    /// <summary>One past the last row holding a pixel that is not white.</summary>
    public int ContentBottom()
    {
        for (int y = Image.Height - 1; y >= 0; y--)
            for (int x = 0; x < Image.Width; x++)
                if (!IsWhite(Image[x, y])) return y + 1;
        return 0;
    }

    /// <summary>The share of pixels that are not white in each of <paramref name="bands"/> equal bands of the rows above
    /// <paramref name="bottom"/>.</summary>
    public IReadOnlyList<double> BandShares(int bands, int bottom)
    {
        var shares = new double[bands];
        for (int b = 0; b < bands; b++)
        {
            int from = b * bottom / bands, to = (b + 1) * bottom / bands;
            long drawn = 0;
            for (int y = from; y < to; y++)
                for (int x = 0; x < Image.Width; x++)
                    if (!IsWhite(Image[x, y])) drawn++;
            shares[b] = to > from ? (double)drawn / ((to - from) * (long)Image.Width) : 0;
        }
        return shares;
    }

    /// <summary>
    /// Pixels of the colour <paramref name="rgb"/> (e.g. 0x1f77b4) or of a blend of it with the white page, at least
    /// <paramref name="opacity"/> of it: a line's anti-aliased edges and thin diagonal stretches are such blends.
    /// </summary>
    public long Count(int rgb, double opacity = 0.4)
    {
        int[] c = [(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff];
        long n = 0;
        for (int y = 0; y < Image.Height; y++)
            for (int x = 0; x < Image.Width; x++)
            {
                var (r, g, b) = Image[x, y];
                int[] p = [r, g, b];
                // The blend's opacity, read off the channels where the colour differs most from white.
                double weight = 0, a = 0;
                for (int i = 0; i < 3; i++)
                {
                    weight += 255 - c[i];
                    a += 255 - p[i];
                }
                a /= weight;
                if (a < opacity || a > 1.1) continue;
                bool blend = true;
                for (int i = 0; i < 3 && blend; i++) blend = Math.Abs(p[i] - (a * c[i] + (1 - a) * 255)) <= 16;
                if (blend) n++;
            }
        return n;
    }

    private static bool IsWhite((byte R, byte G, byte B) p) => p.R >= 250 && p.G >= 250 && p.B >= 250;
}
