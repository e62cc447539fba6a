namespace MtlAgent.Envs.Rendering;

/// <summary>
/// Colours for drawing observations: index 0 is the empty cell, index c+1 is channel c. A cell set
/// in several channels shows the highest channel, as MinAtar's own display does.
/// </summary>
public static class Palette
{
    /// <summary>RGB triples: background, then one colour per channel (up to 10).</summary>
    public static IReadOnlyList<(byte R, byte G, byte B)> Colors { get; } =
    [
        (0, 0, 0),
        (230, 230, 230), (231, 76, 60), (241, 196, 15), (52, 152, 219), (46, 204, 113),
        (155, 89, 182), (230, 126, 34), (26, 188, 156), (236, 112, 160), (127, 140, 141),
    ];

    /// <summary>Most channels any game has.</summary>
    public const int MaxChannels = 10;

    /// <summary>Palette index of cell <paramref name="cell"/> (y*10+x): 0 if empty, else 1 + highest set channel.</summary>
    public static byte CellIndex(ReadOnlySpan<byte> obs, int channels, int cell)
    {
        for (int c = channels - 1; c >= 0; c--)
            if (obs[c * 100 + cell] != 0) return (byte)(c + 1);
        return 0;
    }

    /// <summary>Checks an observation buffer against its channel count.</summary>
    internal static void Validate(ReadOnlySpan<byte> obs, int channels)
    {
        if (channels < 1 || channels > MaxChannels)
            throw new ArgumentOutOfRangeException(nameof(channels), channels, $"channels must be in 1..{MaxChannels}");
        if (obs.Length < channels * 100)
            throw new ArgumentException($"observation holds {obs.Length} bytes; {channels} channels need {channels * 100}", nameof(obs));
    }
}
