using System.Xml.Linq;
using MtlAgent.Cli.Commands;
using MtlAgent.Cli.Reports;
using MtlAgent.Cli.Tests.Support;
using Xunit.Abstractions;

namespace MtlAgent.Cli.Tests;

/// <summary>
/// <c>mtl report</c> through the real <c>mtl</c>, on a smoke run and on the tiny study: one self-contained page whose
/// sections and charts hold the data, and which headless Chromium renders with plots that are not blank.
/// </summary>
[Collection(TinyStudyCollection.Name)]
public sealed class ReportCommandTests(ReportRunFixture run, TinyStudyFixture study, ITestOutputHelper output)
    : IClassFixture<ReportRunFixture>
{
    // Where the screenshots are kept after the run, for a person to look at; /work/scratch gets copies where it exists.
    private static readonly string Screenshots = Path.Combine(Path.GetTempPath(), "mtl-report-screenshots");
    private const string Scratch = "/work/scratch";

    // Tableau blue and orange: the colours of the first and second game in every chart (ChartStyle.GameColors).
    private const int FirstGame = 0x1f77b4, SecondGame = 0xff7f0e;

    [Fact]
    public void TrainTellsHowToGetTheReport()
    {
        Assert.Contains($"Report of the run (HTML): mtl report {run.RunDirectory}", run.Train.Stdout);
    }

    [Fact]
    public void RunReport_IsOneSelfContainedPage_WithEverySectionAndItsData()
    {
        var result = MtlChildProcess.Run(run.Root, ["report", run.RunDirectory]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var path = Path.Combine(run.RunDirectory, ReportCommand.DefaultFile);
        Assert.Contains($"Report written to {path}", result.Stdout);
        var page = ReportDocument.Read(path);
        Assert.Empty(page.ExternalReferences());
        foreach (var id in RunReport.Sections) page.Section(id);
        Assert.StartsWith("worst game now: ", page.Elements("p").Single(p => (string?)p.Attribute("id") == "headline").Value);
        Assert.Matches(@"trend (up|down|flat) \([+-]?\d\.\d\d\) over the last 10 rows", page.Html);

        // Two games: a learning curve each (20 training rows, evaluations at 1,000 and 2,000 frames), scores, three
        // per-game statistics, gradient conflicts and affinity, throughput.
        Assert.Equal(2, ReportDocument.Charts(page.Section("learning-curves")).Count);
        Assert.Contains("diamonds: evaluations", page.Section("learning-curves").Value);
        Assert.Equal(3, ReportDocument.Charts(page.Section("training-statistics")).Count);
        var charts = ReportDocument.Charts(page.Document);
        Assert.Equal(9, charts.Count);
        foreach (var chart in charts.Where(c => !ReportDocument.Title(c).StartsWith("Task affinity", StringComparison.Ordinal)))
            Assert.True(ReportDocument.LongestLine(chart) >= 6, $"chart '{ReportDocument.Title(chart)}' has no line of 6 points or more");
        AssertHeatmap(Assert.Single(charts, c => ReportDocument.Title(c).StartsWith("Task affinity", StringComparison.Ordinal)), games: 2);
        Assert.Contains("worst now: ", string.Concat(ReportDocument.Charts(page.Section("scores"))[0].Descendants().Select(e => e.Value)));

        var checkpoints = page.Section("checkpoints").Value;
        Assert.Contains("step-1000", checkpoints);
        Assert.Contains("step-2000", checkpoints);
        Assert.Contains("MB", checkpoints);
        Assert.Contains("log_every_frames: 100", page.Section("config").Value);
        Assert.Contains("frames/s", page.Section("throughput").Value);

        // Ids are unique in the page: each chart's clip paths are its own, not the first chart's.
        var ids = page.Document.Descendants().Select(e => (string?)e.Attribute("id")).OfType<string>().ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Contains("chart-2-clipPath1", ids);
    }

    [Fact]
    public void StudyReport_HasTheComparisonAndMultiAgainstSingleCurvesPerGame()
    {
        var html = Path.Combine(study.Root, "study-report.html");
        var result = MtlChildProcess.Run(study.Root, ["report", study.StudyDirectory, "--out", html]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var page = ReportDocument.Read(html);
        Assert.Empty(page.ExternalReferences());
        foreach (var id in StudyReport.Sections) page.Section(id);
        Assert.StartsWith("worst game by transfer ratio: ", page.Elements("p").Single(p => (string?)p.Attribute("id") == "headline").Value);

        // The table is mtl compare's: one row per game, two seeds at 1,000 frames each.
        var rows = page.Section("compare").Descendants("tbody").Single().Elements("tr").ToList();
        Assert.Equal(["Breakout-v0", "Asterix-v0"], rows.Select(r => r.Elements("td").First().Value));
        Assert.All(rows, r => Assert.Equal(["1,000", "2"], r.Elements("td").Skip(1).Take(2).Select(td => td.Value)));

        var curves = ReportDocument.Charts(page.Section("transfer-curves"));
        Assert.Equal(2, curves.Count);
        foreach (var chart in curves)
        {
            Assert.True(ReportDocument.LongestLine(chart) >= 10, $"chart '{ReportDocument.Title(chart)}' has no line of 10 points");
            // Two seeds of each kind: four lines in the legend.
            Assert.Equal(4, chart.Descendants().Count(e => e.Name.LocalName == "text" && e.Value.Contains(", seed ")));
        }
        foreach (var heatmap in ReportDocument.Charts(page.Section("affinity"))) AssertHeatmap(heatmap, games: 2);
        Assert.Equal(6, page.Section("runs").Descendants("tbody").Single().Elements("tr").Count());
        Assert.Contains("\"preset\": \"smoke\"", page.Section("config").Value);
    }

    [SkippableFact]
    public void RunReport_RendersInHeadlessChromium_WithPlotsThatAreNotBlank()
    {
        var html = Path.Combine(run.Root, "render.html");
        Assert.Equal(0, MtlChildProcess.Run(run.Root, ["report", run.RunDirectory, "--out", html]).ExitCode);
        AssertRenders(html, "report-run", charts: 9, gamePixels: 3000);
    }

    [SkippableFact]
    public void StudyReport_RendersInHeadlessChromium_WithPlotsThatAreNotBlank()
    {
        var html = Path.Combine(study.Root, "render.html");
        Assert.Equal(0, MtlChildProcess.Run(study.Root, ["report", study.StudyDirectory, "--out", html]).ExitCode);
        // The tiny study's curves are short and cross each other, black over colour: fewer coloured pixels than the run's.
        AssertRenders(html, "report-study", charts: 4, gamePixels: 600);
    }

    [Fact]
    public void ADirectoryThatIsNeitherARunNorAStudy_IsRefused_NamingIt()
    {
        var empty = Directory.CreateDirectory(Path.Combine(run.Root, "neither")).FullName;
        var r = MtlChildProcess.Run(run.Root, ["report", empty]);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: ", r.Stderr);
        Assert.Contains($"'{empty}' is neither a run (no config.yaml) nor a study (no study.json)", r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(empty, ReportCommand.DefaultFile)));

        var missing = MtlChildProcess.Run(run.Root, ["report", Path.Combine(run.Root, "missing")]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("missing' does not exist", missing.Stderr);
    }

    private static void AssertHeatmap(XElement chart, int games)
    {
        Assert.True(ReportDocument.Cells(chart) >= games * games, $"heatmap '{ReportDocument.Title(chart)}' has no {games}x{games} cells");
        // The cell labels, besides the colour scale's numbers.
        Assert.True(ReportDocument.NumberTexts(chart).Count >= games * games + 2, string.Join(" ", ReportDocument.NumberTexts(chart)));
    }

    private void AssertRenders(string html, string name, int charts, long gamePixels)
    {
        output.WriteLine($"chromium: {Chromium.Log.TrimEnd()}");
        Chromium.Require();
        Directory.CreateDirectory(Screenshots);
        var png = Path.Combine(Screenshots, name + ".png");
        // Taller than the page: the screenshot is of the window, and what is below it would be cut off.
        const int Height = 9000;
        var log = Chromium.Screenshot(html, png, 1400, Height);
        output.WriteLine($"screenshot: {png}");
        if (Directory.Exists(Scratch))
        {
            File.Copy(png, Path.Combine(Scratch, name + ".png"), overwrite: true);
            File.Copy(html, Path.Combine(Scratch, name + ".html"), overwrite: true);
            output.WriteLine($"copies: {Scratch}/{name}.png, {Scratch}/{name}.html");
        }

        var shot = new PageScreenshot(PngImage.Read(png));
        Assert.Equal(1400, shot.Image.Width);
        int bottom = shot.ContentBottom();
        Assert.True(bottom < Height - 20, $"the page is taller than the {Height}-pixel window; chromium said:\n{log}");
        Assert.True(bottom > charts * 300, $"the page is only {bottom} pixels tall for {charts} charts");
        var shares = shot.BandShares(8, bottom);
        output.WriteLine($"page {bottom} px tall; drawn share per eighth: {string.Join(", ", shares.Select(s => s.ToString("P1")))}");
        Assert.True(shares.Count(s => s > 0.03) >= 6, $"blank stretches: {string.Join(", ", shares.Select(s => s.ToString("P1")))}");

        // The games' lines are drawn in their colours, not left blank or black; the affinity heatmap's diagonal is red.
        long first = shot.Count(FirstGame), second = shot.Count(SecondGame), red = shot.Count(0xff0000, opacity: 0.9);
        output.WriteLine($"pixels of the first game's colour: {first}, of the second's: {second}; heatmap red: {red}");
        Assert.True(first > gamePixels, $"{first} pixels of the first game's colour");
        Assert.True(second > gamePixels, $"{second} pixels of the second game's colour");
        Assert.True(red > 10_000, $"{red} pixels of the heatmap's red");
    }
}
