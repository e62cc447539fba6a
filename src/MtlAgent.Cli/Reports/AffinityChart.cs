using MtlAgent.Agent.Studies;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace MtlAgent.Cli.Reports;

/// <summary>
/// A <see cref="TaskAffinity"/> matrix as a heatmap with its numbers in the cells, drawn as one rectangle per cell
/// (real SVG elements, not an embedded bitmap).
/// </summary>
public static class AffinityChart
{
    /// <summary>
    /// The mean cosine between the games' trunk gradients: blue for conflict, white for none, red for agreement. The
    /// colours span the largest cosine between two different games (at least 0.05): those are small next to the diagonal's
    /// 1, which would otherwise wash every other cell out to white.
    /// </summary>
    public static PlotModel? MeanCosine(TaskAffinity affinity)
    {
        int k = affinity.Games.Count;
        double largest = Enumerable.Range(0, k)
            .SelectMany(i => Enumerable.Range(0, k).Where(j => j != i).Select(j => Math.Abs(affinity.MeanCosine[i][j])))
            .DefaultIfEmpty(0).Max();
        double span = Math.Min(1, Math.Max(0.05, Math.Ceiling(largest * 100) / 100));
        // The format's third section is for zero: a cosine that rounds to zero reads 0.00, not -0.00.
        return Heatmap(affinity, affinity.MeanCosine, "Task affinity: mean cosine of trunk gradients",
            $"over {affinity.Rows} gradient rows; row game i, column game j; colours span ±{span:0.00}", OxyPalettes.BlueWhiteRed(201),
            -span, span, "0.00;-0.00;0.00");
    }

    /// <summary>The share of gradient rows in which each pair of games conflicted (cosine below 0).</summary>
    public static PlotModel? ConflictShare(TaskAffinity affinity) =>
        Heatmap(affinity, affinity.ConflictShare, "Share of gradient rows in conflict (cosine < 0)",
            $"over {affinity.Rows} gradient rows", OxyPalette.Interpolate(101, OxyColors.White, ChartStyle.Game(3)), 0, 1, "0%");

    private static PlotModel? Heatmap(TaskAffinity affinity, double[][] matrix, string title, string subtitle, OxyPalette palette,
        double minimum, double maximum, string format)
    {
        int k = affinity.Games.Count;
        // OxyPlot's heatmap needs two cells per axis to know a cell's size; one game has no pairs anyway.
        if (k < 2) return null;
        var names = affinity.Games.Select(TransferStudy.ShortName).ToArray();
        var model = ChartStyle.Model(title, subtitle);
        model.Legends.Clear();
        model.Axes.Add(new LinearColorAxis
        {
            Position = AxisPosition.Right,
            Palette = palette,
            Minimum = minimum,
            Maximum = maximum,
            StringFormat = format,
        });
        // Five names such as SpaceInvaders-v0 are wider than their cells: slanted, they do not run into each other.
        model.Axes.Add(new CategoryAxis { Position = AxisPosition.Bottom, ItemsSource = names, Title = "game j", Angle = k > 3 ? -25 : 0 });
        // Reversed, so the matrix reads top to bottom like a table.
        model.Axes.Add(new CategoryAxis
        {
            Position = AxisPosition.Left,
            ItemsSource = names,
            Title = "game i",
            StartPosition = 1,
            EndPosition = 0,
        });
        var data = new double[k, k];
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++) data[j, i] = matrix[i][j];
        model.Series.Add(new HeatMapSeries
        {
            X0 = 0,
            X1 = k - 1,
            Y0 = 0,
            Y1 = k - 1,
            Data = data,
            Interpolate = false,
            RenderMethod = HeatMapRenderMethod.Rectangles,
            // A share of the cell height: five games' cells are a fifth as tall as the plot.
            LabelFontSize = k > 3 ? 0.3 : 0.22,
            LabelFormatString = format,
        });
        return model;
    }
}
