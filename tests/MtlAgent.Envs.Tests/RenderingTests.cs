using MtlAgent.Envs.Rendering;

namespace MtlAgent.Envs.Tests;

/// <summary>Renderers and the GIF writer, checked by decoding what was written.</summary>
public sealed class RenderingTests
{
    [Fact]
    public void GifDecodesToTheFramesWritten()
    {
        using var env = EnvRegistry.Make("MinAtar/Seaquest-v0");
        var frames = new List<byte[]> { env.Reset(5).Observation };
        var random = new Random(5);
        for (int t = 0; t < 60; t++)
        {
            var r = env.Step(random.Next(6));
            frames.Add(r.Observation);
            if (r.Terminated) frames.Add(env.Reset().Observation);
        }
        string path = Path.Combine(Path.GetTempPath(), $"mtl-gif-{Guid.NewGuid():N}.gif");
        try
        {
            GifWriter.WriteEpisode(path, frames, channels: 10, scale: 4, delayCentiseconds: 7);
            Assert.False(File.Exists(path + ".tmp"));
            var gif = GifDecoder.Decode(path);
            Assert.Equal((40, 40), (gif.Width, gif.Height));
            Assert.Equal(0, gif.LoopCount);
            Assert.Equal(frames.Count, gif.Frames.Count);
            for (int i = 0; i < frames.Count; i++)
            {
                Assert.Equal(FrameRenderer.Indexed(frames[i], 10, 4), gif.Frames[i].Indices);
                Assert.Equal(7, gif.Frames[i].DelayCentiseconds);
            }
            Assert.Equal(Palette.Colors[3], gif.Palette[3]);
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(16, 7)]
    [InlineData(256, 11)]
    public void LzwRoundTripsNoiseThatOverflowsTheCodeTable(int colours, int seed)
    {
        var random = new Random(seed);
        var palette = Enumerable.Range(0, colours).Select(i => ((byte)i, (byte)(255 - i), (byte)(i * 7))).ToArray();
        var pixels = new byte[300 * 200];
        // Runs and noise: exercises long strings, code growth to 12 bits and clear codes.
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i % 1000 < 500 ? random.Next(colours) : (i / 37) % colours);
        using var ms = new MemoryStream();
        using (var gif = new GifWriter(ms, 300, 200, palette, loopCount: 3))
        {
            gif.AddFrame(pixels, 20);
            gif.AddFrame(new byte[300 * 200], 30);
        }
        var decoded = GifDecoder.Decode(ms.ToArray());
        Assert.Equal(3, decoded.LoopCount);
        Assert.Equal(pixels, decoded.Frames[0].Indices);
        Assert.Equal(new byte[300 * 200], decoded.Frames[1].Indices);
        Assert.Equal(30, decoded.Frames[1].DelayCentiseconds);
    }

    [Fact]
    public void GifWriterRejectsBadFrames()
    {
        using var ms = new MemoryStream();
        using var gif = new GifWriter(ms, 10, 10, Palette.Colors);
        Assert.Throws<ArgumentException>(() => gif.AddFrame(new byte[99], 5));
        var pixels = new byte[100];
        pixels[3] = 16;
        Assert.Throws<ArgumentException>(() => gif.AddFrame(pixels, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => gif.AddFrame(new byte[100], -1));
        Assert.Throws<InvalidDataException>(() => GifDecoder.Decode([(byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a', 1]));
        Assert.Throws<InvalidDataException>(() => GifDecoder.Decode(new byte[10]));
    }

    [Fact]
    public void RgbFrameHasScaledCellsInChannelColours()
    {
        using var env = EnvRegistry.Make("MinAtar/Breakout-v1");
        var (obs, _) = env.Reset(0);
        byte[] rgb = FrameRenderer.Rgb(obs, 4, scale: 3);
        Assert.Equal(30 * 30 * 3, rgb.Length);
        // The paddle (channel 0) sits at (9, 4): pixel (27..29, 12..14).
        int p = (28 * 30 + 13) * 3;
        Assert.Equal(Palette.Colors[1], (rgb[p], rgb[p + 1], rgb[p + 2]));
        Assert.Equal(Palette.Colors[0], (rgb[0], rgb[1], rgb[2]));
    }

    [Fact]
    public void AnsiRendererDrawsTenRowsAndALegend()
    {
        using var env = EnvRegistry.Make("MinAtar/Freeway-v1");
        var (obs, _) = env.Reset(0);
        string text = AnsiRenderer.Render(obs, 7, ["chicken", "car", "s1", "s2", "s3", "s4", "s5"]);
        string[] lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal(11, lines.Length);
        Assert.Contains("chicken", lines[10]);
        Assert.Throws<ArgumentException>(() => AnsiRenderer.Render(new byte[50], 7));
    }
}
