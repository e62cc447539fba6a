using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace MtlAgent.Cli.Tests.Support;

/// <summary>
/// An <c>mtl report</c> page read back for tests: parsed as XML (the page is written well-formed, so a parse failure is a
/// broken page), its sections by id, and its charts as the <c>&lt;svg&gt;</c> elements of its figures.
/// </summary>
public sealed partial class ReportDocument
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private ReportDocument(string html, XDocument document) => (Html, Document) = (html, document);

    [GeneratedRegex(@"\b(?:src|href)\s*=\s*[""']?\s*(?:https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();

    /// <summary>The page's text.</summary>
    public string Html { get; }

    /// <summary>The page as XML.</summary>
    public XDocument Document { get; }

    /// <summary>Reads and parses <paramref name="path"/>; fails the test when it is not well-formed.</summary>
    public static ReportDocument Read(string path)
    {
        var html = File.ReadAllText(path);
        Assert.StartsWith("<!DOCTYPE html>", html);
        return new ReportDocument(html, XDocument.Parse(html["<!DOCTYPE html>".Length..]));
    }

    /// <summary>Elements named <paramref name="name"/> (HTML, no namespace).</summary>
    public IEnumerable<XElement> Elements(string name) => Document.Descendants(name);

    /// <summary>The section with id <paramref name="id"/>; fails the test when there is none.</summary>
    public XElement Section(string id) =>
        Elements("section").SingleOrDefault(s => (string?)s.Attribute("id") == id)
        ?? throw new Xunit.Sdk.XunitException($"no section '{id}'");

    /// <summary>The charts of a section (or of the page), one <c>&lt;svg&gt;</c> per figure.</summary>
    public static IReadOnlyList<XElement> Charts(XContainer within) =>
        within.Descendants("figure").Select(f => Assert.Single(f.Elements(Svg + "svg"))).ToList();

    /// <summary>The chart's title (its <c>aria-label</c>).</summary>
    public static string Title(XElement svg) => (string?)svg.Attribute("aria-label") ?? "";

    /// <summary>The most points of one polyline in the chart: a data series (axis ticks and grid lines have two).</summary>
    public static int LongestLine(XElement svg) =>
        svg.Descendants(Svg + "polyline")
            .Select(p => ((string?)p.Attribute("points") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Length)
            .DefaultIfEmpty(0).Max();

    /// <summary>Filled rectangles at least <paramref name="size"/> on each side: heatmap cells (the colour scale's are 5 wide).</summary>
    public static int Cells(XElement svg, double size = 20) =>
        svg.Descendants(Svg + "rect").Count(r => Number(r, "width") >= size && Number(r, "height") >= size
            && ((string?)r.Attribute("style") ?? "").Contains("fill:rgb", StringComparison.Ordinal));

    /// <summary>Texts of the chart that are numbers (0.52, -0.10, 25%): a heatmap's cell labels and axis labels.</summary>
    public static IReadOnlyList<string> NumberTexts(XElement svg) =>
        svg.Descendants(Svg + "text").Select(t => t.Value.Trim())
            .Where(t => double.TryParse(t.TrimEnd('%'), CultureInfo.InvariantCulture, out _)).ToList();

    /// <summary>src= or href= attributes that point off the machine (http, https, protocol-relative).</summary>
    public IReadOnlyList<string> ExternalReferences() => ExternalReference().Matches(Html).Select(m => m.Value).ToList();

    private static double Number(XElement e, string attribute) =>
        double.TryParse((string?)e.Attribute(attribute), CultureInfo.InvariantCulture, out var v) ? v : 0;
}
