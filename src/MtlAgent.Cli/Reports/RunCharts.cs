using MtlAgent.Agent.Monitoring;
using MtlAgent.Agent.Studies;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace MtlAgent.Cli.Reports;

/// <summary>The charts of one run, from its <see cref="RunHistory"/>; each is null where the run has no data for it yet.</summary>
public static class RunCharts
{
    /// <summary>
    /// Game <paramref name="game"/>'s training return (mean of the last 100 episodes) over frames, the published reference
    /// DQN's level and random play's as horizontal lines, and the evaluations (mean ± standard error) as points.
    /// </summary>
    public static PlotModel? LearningCurve(RunHistory history, string env, int game)
    {
        var line = GameLine(history, env, g => g.Return, "training return", ChartStyle.Game(game));
        var evals = new ScatterErrorSeries
        {
            Title = "evaluation ± s.e.",
            MarkerType = MarkerType.Diamond,
            MarkerSize = 5,
            MarkerFill = ChartStyle.Neutral,
            ErrorBarColor = ChartStyle.Neutral,
            ErrorBarStopWidth = 3,
        };
        foreach (var row in history.Evals)
            if (row.Games.FirstOrDefault(g => g.Env == env) is { ReturnMean: { } mean } e)
                evals.Points.Add(new ScatterErrorPoint(row.Frames, mean, 0, e.ReturnSem ?? 0));
        if (line.Points.Count == 0 && evals.Points.Count == 0) return null;

        var model = ChartStyle.Model(TransferStudy.ShortName(env), "return: mean of the last 100 training episodes");
        model.Axes.Add(ChartStyle.FramesAxis());
        var values = line.Points.Select(p => p.Y).Concat(evals.Points.Select(p => p.Y + p.ErrorY)).ToList();
        var axis = ChartStyle.ValueAxis("return");
        if (ReferenceScores.For(env) is { } anchors)
        {
            model.Annotations.Add(Level(anchors.Reference, $"published DQN {anchors.Reference:0.#}", LineStyle.Dash));
            // At the left end: early in a run the curve itself runs along random play's level at the right.
            var random = Level(anchors.Random, $"random {anchors.Random:0.##}", LineStyle.Dot);
            (random.TextLinePosition, random.TextHorizontalAlignment) = (0, HorizontalAlignment.Left);
            model.Annotations.Add(random);
            values.Add(anchors.Reference);
            values.Add(anchors.Random);
        }
        // Annotations do not widen an axis: the range is set so the reference levels are always in view.
        axis.Minimum = Math.Min(0, values.Min());
        axis.Maximum = values.Max() * 1.08 + 0.1;
        model.Axes.Add(axis);
        if (line.Points.Count > 0) model.Series.Add(line);
        if (evals.Points.Count > 0) model.Series.Add(evals);
        return model;
    }

    /// <summary>Worst, median and mean normalised score over frames; each worst point in the colour of the game that was worst.</summary>
    public static PlotModel? Scores(RunHistory history, IReadOnlyList<string> games, WorstGameTrend? trend)
    {
        var rows = history.Train;
        var worst = Line("worst", OxyColors.Black, 2.5, LineStyle.Solid, rows.Select(r => (r.Frames, r.WorstScore)));
        if (worst.Points.Count == 0) return null;
        var model = ChartStyle.Model("Normalised score (0: random play, 1: published DQN)", trend?.Headline());
        model.Axes.Add(ChartStyle.FramesAxis());
        var values = rows.SelectMany(r => new[] { r.WorstScore, r.MedianScore, r.MeanScore }).OfType<double>().ToList();
        var axis = ChartStyle.ValueAxis("normalised score");
        axis.Minimum = Math.Min(0, values.Min()) - 0.05;
        axis.Maximum = Math.Max(1, values.Max()) + 0.1;
        model.Axes.Add(axis);
        model.Annotations.Add(Level(1, "published DQN", LineStyle.Dash));
        model.Annotations.Add(Level(0, "random", LineStyle.Dot));
        model.Series.Add(Line("mean", ChartStyle.Neutral, 1.5, LineStyle.Dot, rows.Select(r => (r.Frames, r.MeanScore))));
        model.Series.Add(Line("median", ChartStyle.Neutral, 1.5, LineStyle.Dash, rows.Select(r => (r.Frames, r.MedianScore))));
        model.Series.Add(worst);
        for (int g = 0; g < games.Count; g++)
        {
            var marks = new ScatterSeries
            {
                Title = $"worst: {TransferStudy.ShortName(games[g])}",
                MarkerType = MarkerType.Circle,
                MarkerSize = 4.5,
                MarkerFill = ChartStyle.Game(g),
            };
            foreach (var r in rows)
                if (r.WorstGame == games[g] && r.WorstScore is { } s) marks.Points.Add(new ScatterPoint(r.Frames, s));
            if (marks.Points.Count > 0) model.Series.Add(marks);
        }
        if (trend is not null && rows[^1].WorstScore is { } now)
            model.Annotations.Add(new PointAnnotation
            {
                X = rows[^1].Frames,
                Y = now,
                Shape = MarkerType.None,
                Text = $"worst now: {TransferStudy.ShortName(trend.Env)}",
                TextColor = OxyColors.Black,
                FontWeight = FontWeights.Bold,
                // Above and left of the last point: the reference levels' labels sit below their lines at the right end.
                TextHorizontalAlignment = HorizontalAlignment.Right,
                TextVerticalAlignment = VerticalAlignment.Bottom,
                TextMargin = 6,
            });
        return model;
    }

    /// <summary>One line per game of <paramref name="value"/> over frames (PopArt sigma, loss, task weight).</summary>
    public static PlotModel? PerGame(RunHistory history, IReadOnlyList<string> games, string title, string axisTitle,
        Func<GameRow, double?> value)
    {
        var lines = games.Select((env, g) => GameLine(history, env, value, TransferStudy.ShortName(env), ChartStyle.Game(g))).ToList();
        var values = lines.SelectMany(l => l.Points.Select(p => p.Y)).ToList();
        if (values.Count == 0) return null;
        var model = ChartStyle.Model(title);
        model.Axes.Add(ChartStyle.FramesAxis());
        model.Axes.Add(ChartStyle.ValueAxis(axisTitle, values));
        foreach (var l in lines.Where(l => l.Points.Count > 0)) model.Series.Add(l);
        return model;
    }

    /// <summary>The share of game pairs whose trunk gradients conflict (negative cosine) at each gradient row.</summary>
    public static PlotModel? ConflictShare(RunHistory history)
    {
        var line = Line("conflict share", ChartStyle.Game(3), 2, LineStyle.Solid,
            history.Gradients.Select(g => (g.Frames, g.ConflictShare)));
        if (line.Points.Count == 0) return null;
        // Markers while there are few rows (two games share 0 % or 100 % only); beyond that they hide the line.
        if (line.Points.Count <= 30) (line.MarkerType, line.MarkerSize, line.MarkerFill) = (MarkerType.Circle, 3, ChartStyle.Game(3));
        var model = ChartStyle.Model("Gradient conflicts", "share of game pairs with a negative cosine between their trunk gradients");
        model.Axes.Add(ChartStyle.FramesAxis());
        var axis = ChartStyle.ValueAxis("share of pairs in conflict");
        axis.Minimum = 0;
        axis.Maximum = 1.05;
        axis.LabelFormatter = v => v.ToString("P0", model.Culture);
        model.Axes.Add(axis);
        model.Series.Add(line);
        return model;
    }

    /// <summary>Environment frames per second, all games together, over frames.</summary>
    public static PlotModel? Throughput(RunHistory history)
    {
        var line = Line("frames/s", ChartStyle.Game(0), 2, LineStyle.Solid,
            history.Train.Select(r => (r.Frames, (double?)r.FramesPerSecond)));
        if (line.Points.Count == 0) return null;
        var model = ChartStyle.Model("Throughput", "environment frames per second, all games together, over each log interval");
        model.Axes.Add(ChartStyle.FramesAxis());
        // Before learning starts a frame costs only acting: those intervals can be a hundred times faster than the rest.
        var axis = ChartStyle.ValueAxis("frames/s", line.Points.Select(p => p.Y).ToList());
        axis.StringFormat = "#,0.##";
        if (axis is not LogarithmicAxis) axis.Minimum = 0;
        model.Axes.Add(axis);
        model.Series.Add(line);
        return model;
    }

    /// <summary>A horizontal reference line across the plot area, labelled at its right end.</summary>
    public static LineAnnotation Level(double y, string text, LineStyle style) => new()
    {
        Type = LineAnnotationType.Horizontal,
        Y = y,
        Text = text,
        Color = ChartStyle.Level,
        TextColor = ChartStyle.Neutral,
        LineStyle = style,
        StrokeThickness = 1.5,
    };

    /// <summary>A line through the known values (null values are left out).</summary>
    public static LineSeries Line(string title, OxyColor color, double thickness, LineStyle style,
        IEnumerable<(long Frames, double? Value)> points)
    {
        var line = new LineSeries { Title = title, Color = color, StrokeThickness = thickness, LineStyle = style };
        foreach (var (frames, value) in points)
            if (value is { } v && double.IsFinite(v)) line.Points.Add(new DataPoint(frames, v));
        return line;
    }

    private static LineSeries GameLine(RunHistory history, string env, Func<GameRow, double?> value, string title, OxyColor color) =>
        Line(title, color, 2, LineStyle.Solid,
            history.Train.Select(r => (r.Frames, r.Games.FirstOrDefault(g => g.Env == env) is { } game ? value(game) : null)));
}
