using System.Text;

namespace MtlAgent.Envs.Rendering;

/// <summary>Draws an observation for a terminal: two characters per cell in 24-bit ANSI colour.</summary>
public static class AnsiRenderer
{
    private const string Reset = "\u001b[0m";

    /// <summary>Ten lines of coloured cells, then optionally a legend naming each channel's colour.</summary>
    public static string Render(ReadOnlySpan<byte> obs, int channels, IReadOnlyList<string>? channelNames = null)
    {
        Palette.Validate(obs, channels);
        var sb = new StringBuilder();
        for (int y = 0; y < 10; y++)
        {
            for (int x = 0; x < 10; x++)
            {
                byte index = Palette.CellIndex(obs, channels, y * 10 + x);
                var (r, g, b) = Palette.Colors[index];
                sb.Append(index == 0 ? "\u001b[48;2;30;30;30m" : $"\u001b[48;2;{r};{g};{b}m").Append("  ");
            }
            sb.Append(Reset).Append('\n');
        }
        if (channelNames is not null)
        {
            for (int c = 0; c < channels && c < channelNames.Count; c++)
            {
                var (r, g, b) = Palette.Colors[c + 1];
                sb.Append($"\u001b[48;2;{r};{g};{b}m  {Reset} {channelNames[c]}  ");
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
