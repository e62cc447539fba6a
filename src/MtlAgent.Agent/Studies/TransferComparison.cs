using MtlAgent.Agent.Evaluation;
using MtlAgent.Agent.Monitoring;

namespace MtlAgent.Agent.Studies;

/// <summary>What transfer a game shows: its multi-game return against its single-game baseline.</summary>
public enum TransferVerdict
{
    /// <summary>One seed only: no standard error to judge by.</summary>
    Undecided,
    /// <summary>Below the baseline by more than two standard errors.</summary>
    Negative,
    /// <summary>Within two standard errors.</summary>
    Neutral,
    /// <summary>Above the baseline by more than two standard errors.</summary>
    Positive,
}

/// <summary>One game of a comparison, at the last frame mark every run of that game reached.</summary>
/// <param name="Env">Env id.</param>
/// <param name="Frames">The frame mark (frames per game) compared.</param>
/// <param name="Seeds">Seeds compared (runs of both kinds at that mark).</param>
/// <param name="MultiReturn">Multi-game return (mean of the last 100 training episodes), mean over seeds.</param>
/// <param name="MultiSem">Its standard error over seeds (null with one seed).</param>
/// <param name="SingleReturn">Single-game return, mean over seeds.</param>
/// <param name="SingleSem">Its standard error over seeds (null with one seed).</param>
/// <param name="Ratio"><c>(R_multi - R_random) / (R_single - R_random)</c>; null when the baseline is not above random.</param>
/// <param name="DeltaPercent">Relative change against the baseline, <c>100 (R_multi - R_single) / |R_single|</c>.</param>
/// <param name="MultiArea">Area under the multi-game curve per frame (its mean return over the compared marks).</param>
/// <param name="SingleArea">The same for the single-game curve.</param>
/// <param name="Verdict">Negative, neutral or positive transfer (beyond two standard errors), or undecided.</param>
public sealed record GameTransfer(string Env, long Frames, int Seeds, double MultiReturn, double? MultiSem, double SingleReturn,
    double? SingleSem, double? Ratio, double? DeltaPercent, double MultiArea, double SingleArea, TransferVerdict Verdict);

/// <summary>A whole comparison: per game, then across games.</summary>
/// <param name="Games">One entry per game compared, in the multi-game run's order.</param>
/// <param name="WorstGame">The game with the lowest ratio.</param>
/// <param name="WorstRatio">Its ratio.</param>
/// <param name="HarmonicMeanRatio">Harmonic mean over games of <c>min(r, 1)</c> (0 when some game's r is 0 or below).</param>
/// <param name="GamesBelow08">Games whose ratio is below 0.8 (or undefined).</param>
/// <param name="DeltaP">Mean over games of <see cref="GameTransfer.DeltaPercent"/> (LibMTL's Δp).</param>
/// <param name="Affinity">Mean cosine between games' trunk gradients over the multi-game runs, when they were monitored.</param>
public sealed record TransferComparison(IReadOnlyList<GameTransfer> Games, string? WorstGame, double? WorstRatio, double? HarmonicMeanRatio,
    int GamesBelow08, double? DeltaP, TaskAffinity? Affinity)
{
    /// <summary>
    /// Compares multi-game runs with single-game baselines. <paramref name="multi"/> holds one curve set per seed
    /// (each the multi-game run of that seed); <paramref name="single"/> per game, one curve per seed. A game is compared
    /// at the largest frame mark every one of its runs reached, over the seeds that have both runs.
    /// </summary>
    public static TransferComparison Compare(IReadOnlyList<string> games, IReadOnlyDictionary<int, LearningCurves> multi,
        IReadOnlyDictionary<string, IReadOnlyDictionary<int, IReadOnlyList<CurvePoint>>> single)
    {
        var results = new List<GameTransfer>();
        foreach (var env in games)
        {
            if (!single.TryGetValue(env, out var baselines)) continue;
            var seeds = multi.Keys.Where(s => baselines.ContainsKey(s) && multi[s].Games.ContainsKey(env)).Order().ToList();
            if (seeds.Count == 0) continue;
            var curves = seeds.Select(s => (Multi: multi[s].Games[env], Single: baselines[s])).ToList();
            // Marks where every run of this game has a return.
            var marks = curves.SelectMany(c => new[] { c.Multi, c.Single })
                .Select(curve => curve.Where(p => p.Return is not null).Select(p => p.Frames).ToHashSet())
                .Aggregate((a, b) => { a.IntersectWith(b); return a; })
                .Order().ToList();
            if (marks.Count == 0) continue;
            long last = marks[^1];
            double[] m = curves.Select(c => At(c.Multi, last)).ToArray(), s = curves.Select(c => At(c.Single, last)).ToArray();
            var (mMean, mSem) = MeanAndSem(m);
            var (sMean, sSem) = MeanAndSem(s);
            double random = ReferenceScores.For(env)?.Random ?? 0;
            double? ratio = sMean - random > 0 ? (mMean - random) / (sMean - random) : null;
            double? delta = sMean != 0 ? 100 * (mMean - sMean) / Math.Abs(sMean) : null;
            double mArea = curves.Average(c => Area(c.Multi, marks)), sArea = curves.Average(c => Area(c.Single, marks));
            results.Add(new GameTransfer(env, last, seeds.Count, mMean, mSem, sMean, sSem, ratio, delta, mArea, sArea,
                Judge(mMean, mSem, sMean, sSem)));
        }
        var ratios = results.Where(g => g.Ratio is not null).ToList();
        var worst = ratios.MinBy(g => g.Ratio);
        double? harmonic = results.Count == 0 ? null : HarmonicMean(results.Select(g => g.Ratio is { } r ? Math.Min(r, 1) : 0));
        var deltas = results.Where(g => g.DeltaPercent is not null).Select(g => g.DeltaPercent!.Value).ToList();
        var affinity = TaskAffinity.Average(games, multi.Values.SelectMany(c => c.GradientRows).ToList());
        return new TransferComparison(results, worst?.Env, worst?.Ratio, harmonic, results.Count(g => g.Ratio is not { } r || r < 0.8),
            deltas.Count > 0 ? deltas.Average() : null, affinity);
    }

    /// <summary>Mean and standard error (sample sd over sqrt(n); null for one value).</summary>
    public static (double Mean, double? Sem) MeanAndSem(IReadOnlyList<double> values)
    {
        var stats = ReturnStatistics.Of(values);
        return (stats.Mean, values.Count > 1 ? stats.Sem : null);
    }

    /// <summary>Beyond two combined standard errors: negative or positive; within: neutral; without errors: undecided.</summary>
    public static TransferVerdict Judge(double multi, double? multiSem, double single, double? singleSem)
    {
        if (multiSem is not { } a || singleSem is not { } b) return TransferVerdict.Undecided;
        double se = Math.Sqrt(a * a + b * b), difference = multi - single;
        if (difference < -2 * se) return TransferVerdict.Negative;
        if (difference > 2 * se) return TransferVerdict.Positive;
        return TransferVerdict.Neutral;
    }

    /// <summary>Harmonic mean of values in [0, 1]; 0 when one of them is 0 or below.</summary>
    public static double HarmonicMean(IEnumerable<double> values)
    {
        var v = values.ToList();
        if (v.Count == 0 || v.Any(x => x <= 0)) return 0;
        return v.Count / v.Sum(x => 1 / x);
    }

    /// <summary>
    /// Trapezoidal area under a curve over <paramref name="marks"/>, per frame: its mean return between the first and last mark.
    /// </summary>
    public static double Area(IReadOnlyList<CurvePoint> curve, IReadOnlyList<long> marks)
    {
        if (marks.Count == 1) return At(curve, marks[0]);
        double area = 0;
        for (int i = 1; i < marks.Count; i++) area += (marks[i] - marks[i - 1]) * (At(curve, marks[i - 1]) + At(curve, marks[i])) / 2;
        return area / (marks[^1] - marks[0]);
    }

    private static double At(IReadOnlyList<CurvePoint> curve, long frames) =>
        curve.First(p => p.Frames == frames).Return ?? throw new InvalidOperationException($"no return at {frames} frames");
}
