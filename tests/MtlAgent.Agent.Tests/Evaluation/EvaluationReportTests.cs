using System.Text.Json;
using MtlAgent.Agent.Evaluation;

namespace MtlAgent.Agent.Tests.Evaluation;

public class EvaluationReportTests
{
    private static GameEvaluation Game(string env, double score) => new(env, 3, 1.5, 0.5, 1, score, 0);

    [Fact]
    public void SummaryNamesTheWorstGameAndTheMedianAndMeanScores()
    {
        var report = EvaluationReport.Summarize("ck", 100, [Game("A", 0.8), Game("B", -0.1), Game("C", 0.3), Game("D", 1.0)]);
        Assert.Equal(new WorstGame("B", -0.1), report.Worst);
        Assert.Equal(0.55, report.MedianNormalizedScore, 12);
        Assert.Equal(0.5, report.MeanNormalizedScore, 12);
    }

    [Fact]
    public void JsonHasExactlyTheDocumentedKeysInOrder()
    {
        var report = EvaluationReport.Summarize("ck", 100, [Game("MinAtar/Breakout-v0", 0.25)]);
        using var doc = JsonDocument.Parse(EvaluationJson.Serialize(report));
        Assert.Equal(["checkpoint", "frames", "games", "worst", "median_normalized_score", "mean_normalized_score"],
            doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["env", "episodes", "return_mean", "return_sem", "return_median", "normalized_score", "truncated"],
            doc.RootElement.GetProperty("games")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["env", "normalized_score"], doc.RootElement.GetProperty("worst").EnumerateObject().Select(p => p.Name));
        var json = EvaluationJson.Serialize(report);
        Assert.Equal(json, EvaluationJson.Serialize(EvaluationJson.Deserialize(json)));
    }

    [Fact]
    public void WriteReplacesTheFileAtomicallyAndLeavesNoTemporary()
    {
        var dir = Directory.CreateTempSubdirectory("mtl-eval-json-");
        try
        {
            var path = Path.Combine(dir.FullName, "eval.json");
            File.WriteAllText(path, "old");
            var report = EvaluationReport.Summarize(null, 0, [Game("A", 0.5)]);
            EvaluationJson.Write(path, report);
            Assert.Equal(EvaluationJson.Serialize(report) + "\n", File.ReadAllText(path));
            Assert.Equal(["eval.json"], dir.GetFiles().Select(f => f.Name));
        }
        finally { dir.Delete(recursive: true); }
    }
}
