using System.Globalization;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;

namespace MtlAgent.Cli.Reports;

/// <summary>What every chart of a report shares: the games' colours, fonts, the frames axis, legends.</summary>
public static class ChartStyle
{
    /// <summary>One colour per game, by its index in the run's game list (Tableau 10), the same in every chart.</summary>
    public static readonly IReadOnlyList<OxyColor> GameColors =
    [
        OxyColor.FromRgb(0x1f, 0x77, 0xb4), OxyColor.FromRgb(0xff, 0x7f, 0x0e), OxyColor.FromRgb(0x2c, 0xa0, 0x2c),
        OxyColor.FromRgb(0xd6, 0x27, 0x28), OxyColor.FromRgb(0x94, 0x67, 0xbd), OxyColor.FromRgb(0x8c, 0x56, 0x4b),
    ];

    /// <summary>Lines that are not a game's: reference levels, aggregates, single-game baselines.</summary>
    public static readonly OxyColor Neutral = OxyColor.FromRgb(0x44, 0x44, 0x44);

    /// <summary>Reference levels (published DQN, random play): lighter than any data line.</summary>
    public static readonly OxyColor Level = OxyColor.FromRgb(0x88, 0x88, 0x88);

    /// <summary>Grid lines: light enough to read the data over.</summary>
    public static readonly OxyColor Grid = OxyColor.FromRgb(0xe6, 0xe6, 0xe6);

    /// <summary>Chart width in SVG user units (CSS pixels): two charts fit side by side on a 1,400-pixel page.</summary>
    public const double Width = 660;

    /// <summary>Width of a chart that has a row of its own.</summary>
    public const double WideWidth = 2 * Width + 16;

    /// <summary>Chart height.</summary>
    public const double Height = 360;

    /// <summary>The colour of game <paramref name="index"/>.</summary>
    public static OxyColor Game(int index) => GameColors[index % GameColors.Count];

    /// <summary>An empty chart with the report's title style and a legend under the plot area.</summary>
    public static PlotModel Model(string title, string? subtitle = null)
    {
        var model = new PlotModel
        {
            Title = title,
            Subtitle = subtitle,
            TitleFontSize = 15,
            SubtitleFontSize = 12,
            // Arial is what the managed text measurer knows metrics for (as Helvetica); browsers substitute a metric twin.
            DefaultFont = "Arial",
            DefaultFontSize = 12,
            Background = OxyColors.White,
            PlotAreaBorderColor = OxyColor.FromRgb(0x99, 0x99, 0x99),
            Culture = CultureInfo.InvariantCulture,
        };
        model.Legends.Add(new Legend
        {
            LegendPlacement = LegendPlacement.Outside,
            LegendPosition = LegendPosition.BottomCenter,
            LegendOrientation = LegendOrientation.Horizontal,
            LegendBorderThickness = 0,
            LegendFontSize = 12,
        });
        return model;
    }

    /// <summary>The horizontal axis of frames per game, labelled 250k, 1.5M.</summary>
    public static LinearAxis FramesAxis() => new()
    {
        Position = AxisPosition.Bottom,
        Title = "frames per game",
        LabelFormatter = Frames,
        MajorGridlineStyle = LineStyle.Solid,
        MajorGridlineColor = Grid,
    };

    /// <summary>A vertical value axis with grid lines.</summary>
    public static LinearAxis ValueAxis(string title) => new()
    {
        Position = AxisPosition.Left,
        Title = title,
        MajorGridlineStyle = LineStyle.Solid,
        MajorGridlineColor = Grid,
    };

    /// <summary>
    /// A vertical axis for <paramref name="values"/>: logarithmic where they are all positive and span more than a
    /// factor of 100 (losses, scales, rates), so that every line stays readable, else linear.
    /// </summary>
    public static Axis ValueAxis(string title, IReadOnlyList<double> values) =>
        values.Count > 0 && values.Min() > 0 && values.Max() / values.Min() > 100
            ? new LogarithmicAxis
            {
                Position = AxisPosition.Left,
                Title = title + " (log scale)",
                MajorGridlineStyle = LineStyle.Solid,
                MajorGridlineColor = Grid,
            }
            : ValueAxis(title);

    /// <summary>Frames as a short label: 900, 1.5k, 250k, 5M.</summary>
    public static string Frames(double frames) => Math.Abs(frames) switch
    {
        >= 1e6 => (frames / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M",
        >= 1e3 => (frames / 1e3).ToString("0.##", CultureInfo.InvariantCulture) + "k",
        _ => frames.ToString("0", CultureInfo.InvariantCulture),
    };
}
