using Spectre.Console;

namespace MtlAgent.Cli.Output;

/// <summary>Spectre consoles bound to the current <see cref="Console.Out"/>.</summary>
public static class ConsoleOutput
{
    /// <summary>
    /// A console writing to the current standard output. Made per command rather than the static
    /// <see cref="AnsiConsole.Console"/>, which keeps the writer it first saw.
    /// </summary>
    public static IAnsiConsole Create()
    {
        bool redirected = Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        // A file or pipe has no width; Spectre would assume 80 columns and wrap table rows.
        if (redirected) console.Profile.Width = 160;
        return console;
    }
}
