using System.Net;
using System.Text;
using MtlAgent.Agent.Studies;
using OxyPlot;

namespace MtlAgent.Cli.Reports;

/// <summary>
/// One self-contained HTML page: its style inline, charts as inline SVG, no script and nothing fetched from anywhere.
/// The markup is also well-formed XML (void elements closed, text escaped), so tools and tests can parse it.
/// </summary>
public sealed class ReportPage(string title, string subtitle)
{
    private const string Style = """
        body { font-family: Arial, Helvetica, "Liberation Sans", sans-serif; margin: 24px auto; max-width: 1360px; color: #222; }
        h1 { font-size: 26px; margin: 0 0 4px 0; }
        h2 { font-size: 20px; border-bottom: 2px solid #ddd; padding-bottom: 4px; margin-top: 32px; }
        .subtitle { color: #666; margin: 0 0 16px 0; }
        .headline { font-size: 20px; font-weight: bold; padding: 12px 16px; border-left: 6px solid #d62728; background: #fbeaea; }
        .note { color: #666; font-style: italic; }
        .charts { display: flex; flex-wrap: wrap; gap: 16px; }
        figure { margin: 0; border: 1px solid #e3e3e3; }
        table { border-collapse: collapse; margin: 8px 0; }
        th, td { border: 1px solid #ddd; padding: 4px 10px; text-align: right; }
        th { background: #f3f3f3; }
        td:first-child, th:first-child { text-align: left; }
        pre { background: #f7f7f7; border: 1px solid #e3e3e3; padding: 12px; font-size: 12px; }
        .bad { color: #d62728; font-weight: bold; }
        #run-list td:first-child { white-space: nowrap; }
        #facts td, #facts th { text-align: left; }
        #run-list th:last-child { text-align: left; }
        #run-list td:last-child { text-align: left; font-family: "DejaVu Sans Mono", monospace; font-size: 12px; }
        """;

    private readonly StringBuilder _body = new();
    private int _charts;

    /// <summary>A banner line at the top, for the thing to see first (the worst game now).</summary>
    public void Headline(string text) => _body.Append("<p class=\"headline\" id=\"headline\">").Append(Escape(text)).Append("</p>\n");

    /// <summary>A section with id <paramref name="id"/> (tests and links find it by that) holding <paramref name="parts"/>.</summary>
    public void Section(string id, string heading, params string[] parts)
    {
        _body.Append("<section id=\"").Append(Escape(id)).Append("\">\n<h2>").Append(Escape(heading)).Append("</h2>\n");
        foreach (var part in parts) _body.Append(part).Append('\n');
        _body.Append("</section>\n");
    }

    /// <summary>Charts side by side, two to a row; a missing one (null: no data yet) becomes a note saying what is missing.</summary>
    public string Charts(params (PlotModel? Model, string Missing)[] charts) =>
        "<div class=\"charts\">\n" + string.Concat(charts.Select(c => Figure(c.Model, c.Missing, ChartStyle.Width))) + "</div>";

    /// <summary>One chart as wide as two, for the chart to read first.</summary>
    public string WideChart(PlotModel? model, string missing) =>
        "<div class=\"charts\">\n" + Figure(model, missing, ChartStyle.WideWidth) + "</div>";

    private string Figure(PlotModel? model, string missing, double width)
    {
        if (model is null) return Note(missing) + "\n";
        var id = $"chart-{++_charts}";
        return $"<figure id=\"{id}\">{SvgChart.Render(model, id, width)}</figure>\n";
    }

    /// <summary>A number with <paramref name="format"/>, "-" when unknown; a value that rounds to zero shows no minus sign.</summary>
    public static string Number(double? value, string format = "F2")
    {
        var text = ComparisonDocuments.F(value, format);
        return text.StartsWith('-') && text.Length > 1 && text.Trim('-', '0', '.') == "" ? text[1..] : text;
    }

    /// <summary>A paragraph of plain text.</summary>
    public static string Paragraph(string text) => $"<p>{Escape(text)}</p>";

    /// <summary>A note in grey italics (what is missing, and why).</summary>
    public static string Note(string text) => $"<p class=\"note\">{Escape(text)}</p>";

    /// <summary>Preformatted text (a config file).</summary>
    public static string Pre(string text) => $"<pre>{Escape(text)}</pre>";

    /// <summary>A table of plain-text cells; a cell starting with <c>!</c> is drawn as a warning (red), without the mark.</summary>
    public static string Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, string? id = null)
    {
        var s = new StringBuilder(id is null ? "<table>" : $"<table id=\"{Escape(id)}\">");
        s.Append("<thead><tr>");
        foreach (var h in header) s.Append("<th>").Append(Escape(h)).Append("</th>");
        s.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            s.Append("<tr>");
            foreach (var cell in row)
                s.Append(cell.StartsWith('!') ? $"<td class=\"bad\">{Escape(cell[1..])}</td>" : $"<td>{Escape(cell)}</td>");
            s.Append("</tr>");
        }
        return s.Append("</tbody></table>").ToString();
    }

    /// <summary>The whole page.</summary>
    public string Html() =>
        $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{Escape(title)}</title>
        <style>
        {Style}
        </style>
        </head>
        <body>
        <h1>{Escape(title)}</h1>
        <p class="subtitle">{Escape(subtitle)}</p>
        {_body}</body>
        </html>

        """;

    /// <summary>Text escaped for HTML and XML alike.</summary>
    public static string Escape(string text) => WebUtility.HtmlEncode(text);
}
