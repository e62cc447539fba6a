namespace MtlAgent.Cli.Commands;

/// <summary>One row of <c>mtl bench train</c> / <c>mtl bench learner</c>.</summary>
/// <param name="Name">What was timed.</param>
/// <param name="Settings">The settings timed: "reference" or a preset's name.</param>
/// <param name="Games">Games in each update.</param>
/// <param name="Batch">Rows per update, all games together.</param>
/// <param name="UpdatesPerSecond">Learner updates per second.</param>
/// <param name="FramesPerSecond">Environment frames per second, all games together; null where no game is stepped.</param>
/// <param name="MedianMilliseconds">Median time of one update, where each update is timed on its own.</param>
/// <param name="TimeShares">For training: each phase's share of a step's time (acting, environments, sampling, update).</param>
public sealed record BenchResult(string Name, string Settings, int Games, int Batch, double UpdatesPerSecond, double? FramesPerSecond,
    double? MedianMilliseconds = null, string? TimeShares = null);

/// <summary>Prints bench rows as a table and writes <c>{"benchmarks":[...]}</c> with snake_case keys.</summary>
public static class BenchResults
{
    /// <summary>Table header line.</summary>
    public static void PrintHeader() =>
        Console.WriteLine($"{"name",-36} {"settings",-14} {"games",5} {"batch",6} {"updates/s",12} {"frames/s",12}");

    /// <summary>One table line.</summary>
    public static void Print(BenchResult r) =>
        Console.WriteLine($"{r.Name,-36} {r.Settings,-14} {r.Games,5} {r.Batch,6} {r.UpdatesPerSecond,12:N1} " +
            $"{(r.FramesPerSecond is { } f ? f.ToString("N0") : "-"),12}"
            + (r.MedianMilliseconds is { } ms ? $"   median {ms:F3} ms/update" : ""));

    /// <summary>Writes the JSON document (temporary name, then renamed).</summary>
    public static void WriteJson(string path, IEnumerable<BenchResult> rows)
    {
        var document = new
        {
            benchmarks = rows.Select(r => new
            {
                name = r.Name, settings = r.Settings, games = r.Games, batch = r.Batch,
                updates_per_second = Math.Round(r.UpdatesPerSecond, 2),
                frames_per_second = r.FramesPerSecond is { } f ? Math.Round(f, 1) : (double?)null,
                median_ms = r.MedianMilliseconds is { } ms ? Math.Round(ms, 4) : (double?)null,
                time_shares = r.TimeShares,
            }),
        };
        JsonOutput.Write(path, document);
    }
}
