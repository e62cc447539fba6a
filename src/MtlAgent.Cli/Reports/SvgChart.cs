using System.Text.RegularExpressions;
using System.Xml.Linq;
using OxyPlot;

namespace MtlAgent.Cli.Reports;

/// <summary>
/// A chart as an inline <c>&lt;svg&gt;</c> element, through OxyPlot.Core's <see cref="SvgExporter"/>: plain managed
/// code, text measured with the built-in font metrics of its <see cref="PdfRenderContext"/>, so no native library, font
/// file or display is needed on a headless machine.
/// </summary>
public static partial class SvgChart
{
    [GeneratedRegex(@"url\(#([^)]+)\)")]
    private static partial Regex UrlReference();

    /// <summary>
    /// The SVG element of <paramref name="model"/> at the given size in CSS pixels, its element ids prefixed with
    /// <paramref name="id"/>: OxyPlot numbers its clip paths from 1 in every chart, and in one HTML page a second chart's
    /// <c>url(#clipPath1)</c> would otherwise clip to the first chart's rectangle.
    /// </summary>
    public static string Render(PlotModel model, string id, double width = ChartStyle.Width, double height = ChartStyle.Height)
    {
        var exporter = new SvgExporter
        {
            Width = width,
            Height = height,
            IsDocument = false,
            TextMeasurer = new PixelTextMeasurer(width, height, model.Background),
        };
        var svg = XDocument.Parse(exporter.ExportToString(model)).Root!;
        foreach (var element in svg.DescendantsAndSelf())
            foreach (var attribute in element.Attributes())
            {
                if (attribute.IsNamespaceDeclaration) continue;
                if (attribute.Name.LocalName == "id") attribute.Value = $"{id}-{attribute.Value}";
                else if (attribute.Value.Contains("url(#", StringComparison.Ordinal))
                    attribute.Value = UrlReference().Replace(attribute.Value, m => $"url(#{id}-{m.Groups[1].Value})");
            }
        svg.SetAttributeValue("role", "img");
        svg.SetAttributeValue("aria-label", model.Title);
        return svg.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>
    /// The PDF context's text sizes, in CSS pixels. It answers in points (1/72 inch) where SVG user units are CSS pixels
    /// (1/96 inch): unscaled, its sizes are 3/4 of what a browser draws, and legend entries overlap, titles run into
    /// subtitles and axis titles into tick labels.
    /// </summary>
    private sealed class PixelTextMeasurer(double width, double height, OxyColor background) : PdfRenderContext(width, height, background)
    {
        private const double PixelsPerPoint = 96.0 / 72.0;

        public override OxySize MeasureText(string text, string fontFamily, double fontSize, double fontWeight)
        {
            var size = base.MeasureText(text, fontFamily, fontSize, fontWeight);
            return new OxySize(size.Width * PixelsPerPoint, size.Height * PixelsPerPoint);
        }
    }
}
