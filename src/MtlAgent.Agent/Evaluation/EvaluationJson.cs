using System.Text.Json;
using MtlAgent.Agent.IO;

namespace MtlAgent.Agent.Evaluation;

/// <summary>Reads and writes the <c>mtl eval --json</c> document.</summary>
public static class EvaluationJson
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>The report as JSON text.</summary>
    public static string Serialize(EvaluationReport report) => JsonSerializer.Serialize(report, Options);

    /// <summary>One game's entry as JSON text.</summary>
    public static string Serialize(GameEvaluation game) => JsonSerializer.Serialize(game, Options);

    /// <summary>Parses a document written by <see cref="Serialize(EvaluationReport)"/>.</summary>
    public static EvaluationReport Deserialize(string json) =>
        JsonSerializer.Deserialize<EvaluationReport>(json, Options)
        ?? throw new JsonException("evaluation document is empty");

    /// <summary>
    /// Writes the report to <paramref name="path"/> through a temporary file and a rename, so readers never see half a document.
    /// </summary>
    public static void Write(string path, EvaluationReport report) =>
        Durable.WriteAllText(CheckDestination(path), Serialize(report) + "\n");

    /// <summary>
    /// The full path of <paramref name="path"/> if its directory exists, else a clear error; call it before a long
    /// evaluation so a typo does not cost the whole run.
    /// </summary>
    public static string CheckDestination(string path)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"cannot write '{path}': directory '{dir}' does not exist");
        return full;
    }
}
