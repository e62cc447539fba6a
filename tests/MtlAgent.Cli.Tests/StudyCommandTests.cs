using System.Text.Json;
using MtlAgent.Agent.Studies;

namespace MtlAgent.Cli.Tests;

/// <summary><c>mtl study transfer</c> and <c>mtl compare</c> through the real <c>mtl</c>, on a tiny two-game study.</summary>
[Collection(TinyStudyCollection.Name)]
public sealed class StudyCommandTests(TinyStudyFixture tiny)
{
    private static readonly string[] Runs = ["seed-0/multi", "seed-0/single-Breakout-v0", "seed-0/single-Asterix-v0",
        "seed-1/multi", "seed-1/single-Breakout-v0", "seed-1/single-Asterix-v0"];

    [Fact]
    public void ATinyStudy_RunsEveryRun_ResumesAfterAKill_AndCompares()
    {
        var (root, dir, resumed) = (tiny.Root, tiny.StudyDirectory, tiny.Resumed);
        Assert.True(tiny.MultiFinishedBeforeTheKill);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Matches(@"seed-0/multi\s+finished", resumed.Stdout);
        Assert.Matches(@"seed-0/single-Breakout-v0\s+to (resume|start)", resumed.Stdout);
        Assert.Matches(@"seed-1/multi\s+to start", resumed.Stdout);
        foreach (var run in Runs)
            Assert.Equal("step-1000", File.ReadAllText(Path.Combine(dir, run, "latest")).Trim());
        Assert.Contains("Resumed from", File.ReadAllText(Path.Combine(tiny.KilledRun, "train.log")));
        var study2 = TransferStudy.Load(dir)!;
        Assert.Equal(["MinAtar/Breakout-v0", "MinAtar/Asterix-v0"], study2.Games);
        Assert.Equal(Runs, study2.Runs().Select(r => r.Name));

        // The comparison: table on the terminal, compare.md and compare.json in the study, --json elsewhere.
        Assert.Contains("Breakout-v0", resumed.Stdout);
        Assert.Contains("| game | frames | seeds |", File.ReadAllText(Path.Combine(dir, "compare.md")));
        var json = Path.Combine(root, "compare.json");
        var compare = MtlChildProcess.Run(root, ["compare", dir, "--json", json]);
        Assert.True(compare.ExitCode == 0, compare.ToString());
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var games = doc.RootElement.GetProperty("games").EnumerateArray().ToList();
        Assert.Equal(["MinAtar/Breakout-v0", "MinAtar/Asterix-v0"], games.Select(g => g.GetProperty("env").GetString()));
        Assert.All(games, g =>
        {
            Assert.Equal(1000, g.GetProperty("frames").GetInt64());
            Assert.Equal(2, g.GetProperty("seeds").GetInt32());
            Assert.Equal(JsonValueKind.Number, g.GetProperty("multi_sem").ValueKind);
            Assert.Contains(g.GetProperty("verdict").GetString(), new[] { "negative", "neutral", "positive" });
        });
        foreach (var key in new[] { "worst", "harmonic_mean_ratio", "games_below_0_8", "delta_p", "affinity" })
            Assert.True(doc.RootElement.TryGetProperty(key, out _), key);
        // The smoke preset measures gradient conflicts every 250 updates: 500 updates per run, two seeds.
        var affinity = doc.RootElement.GetProperty("affinity");
        Assert.Equal(4, affinity.GetProperty("rows").GetInt32());
        Assert.Equal(1.0, affinity.GetProperty("mean_cosine")[0][0].GetDouble());
        Assert.Contains("task affinity over 4 gradient rows", compare.Stdout);

        // Compare also takes run directories, and a finished study started again does nothing but compare.
        var byRuns = MtlChildProcess.Run(root,
            ["compare", Path.Combine(dir, "seed-0", "multi"), Path.Combine(dir, "seed-0", "single-Breakout-v0")]);
        Assert.True(byRuns.ExitCode == 0, byRuns.ToString());
        Assert.Contains("undecided", byRuns.Stdout);
        var again = MtlChildProcess.Run(root, ["study", "transfer", "--dir", dir]);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("0 of 6 runs to do", again.Stdout);
        var other = MtlChildProcess.Run(root, ["study", "transfer", "--dir", dir, "--frames", "2000"]);
        Assert.Equal(1, other.ExitCode);
        Assert.Contains("holds a study of other runs", other.Stderr);
    }
}
