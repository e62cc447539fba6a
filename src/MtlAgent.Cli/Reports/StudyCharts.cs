using MtlAgent.Agent.Monitoring;
using MtlAgent.Agent.Studies;
using OxyPlot;
using OxyPlot.Series;

namespace MtlAgent.Cli.Reports;

/// <summary>The charts of a transfer study, from the runs its comparison reads (<see cref="ComparisonInputs"/>).</summary>
public static class StudyCharts
{
    // One line style per seed, the same for both kinds of run: colour tells multi from single, the style tells seeds apart.
    private static readonly LineStyle[] SeedStyles =
        [LineStyle.Solid, LineStyle.Dash, LineStyle.Dot, LineStyle.DashDot, LineStyle.LongDash];

    /// <summary>
    /// Game <paramref name="env"/>'s training return in the multi-game runs (the game's colour) and in its single-game
    /// baselines (black), one line style per seed, with the published reference DQN's level where it is near them.
    /// </summary>
    public static PlotModel? Transfer(ComparisonInputs inputs, string env, int game)
    {
        var seeds = inputs.Multi.Keys.Concat(inputs.Single.GetValueOrDefault(env)?.Keys ?? []).Distinct().Order().ToList();
        LineStyle Style(int seed) => SeedStyles[seeds.IndexOf(seed) % SeedStyles.Length];
        var lines = new List<LineSeries>();
        foreach (var (seed, curves) in inputs.Multi.OrderBy(kv => kv.Key))
            if (curves.Games.TryGetValue(env, out var curve))
                lines.Add(RunCharts.Line($"multi-game, seed {seed}", ChartStyle.Game(game), 2, Style(seed), Points(curve)));
        if (inputs.Single.TryGetValue(env, out var baselines))
            foreach (var (seed, curve) in baselines.OrderBy(kv => kv.Key))
                lines.Add(RunCharts.Line($"single-game, seed {seed}", OxyColors.Black, 2, Style(seed), Points(curve)));
        var values = lines.SelectMany(l => l.Points.Select(p => p.Y)).ToList();
        if (values.Count == 0) return null;

        // The question here is multi against single: the axis fits their curves, and the published DQN's level is drawn
        // where it lies within reach of them (early in a study it is far above, and would squash both to the floor).
        var anchors = ReferenceScores.For(env);
        bool reference = anchors is not null && anchors.Reference <= 2 * values.Max();
        var model = ChartStyle.Model($"{TransferStudy.ShortName(env)}: multi-game against single-game",
            "return: mean of the last 100 training episodes"
            + (anchors is not null && !reference ? $"; published DQN {anchors.Reference:0.#}, above this range" : ""));
        model.Axes.Add(ChartStyle.FramesAxis());
        var axis = ChartStyle.ValueAxis("return");
        if (reference)
        {
            model.Annotations.Add(RunCharts.Level(anchors!.Reference, $"published DQN {anchors.Reference:0.#}", LineStyle.Dash));
            values.Add(anchors.Reference);
        }
        double low = Math.Min(0, values.Min()), high = values.Max();
        axis.Minimum = low;
        axis.Maximum = high + Math.Max(0.08 * (high - low), 0.1);
        model.Axes.Add(axis);
        foreach (var l in lines.Where(l => l.Points.Count > 0)) model.Series.Add(l);
        return model;
    }

    private static IEnumerable<(long, double?)> Points(IReadOnlyList<CurvePoint> curve) => curve.Select(p => (p.Frames, p.Return));
}
