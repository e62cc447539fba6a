namespace MtlAgent.Agent.Training;

/// <summary>
/// Where a run stands: counters, every game's figures, and the worst-case summary of normalised scores. Taking one
/// changes nothing; losses are running totals, and whoever needs an interval's mean takes differences
/// (<see cref="LossesSince"/>).
/// </summary>
public sealed record TrainingSnapshot(long FramesPerGame, long Updates, IReadOnlyList<GameSnapshot> Games,
    string? WorstGame, double? WorstScore, double? MedianScore, double? MeanScore)
{
    /// <summary>
    /// Each game's mean loss over the updates between <paramref name="earlier"/> and this snapshot (null for a game with none).
    /// </summary>
    public IReadOnlyList<double?> LossesSince(TrainingSnapshot? earlier) =>
        Games.Select((g, i) =>
        {
            double sum = g.LossTotal - (earlier?.Games[i].LossTotal ?? 0);
            long updates = g.LossUpdates - (earlier?.Games[i].LossUpdates ?? 0);
            return updates > 0 ? sum / updates : (double?)null;
        }).ToList();
}

/// <summary>One game's figures in a <see cref="TrainingSnapshot"/>.</summary>
/// <param name="Env">Env id.</param>
/// <param name="Episodes">Training episodes finished.</param>
/// <param name="RecentReturn">Mean return of the last <c>MonitorConfig.ReturnWindow</c> training episodes.</param>
/// <param name="NormalizedScore">(R - R_random) / (R_reference - R_random) of <paramref name="RecentReturn"/>.</param>
/// <param name="Epsilon">Current exploration rate.</param>
/// <param name="LossTotal">Sum of the game's TD losses (normalised units under PopArt) over every update that had its
/// rows, since the trainer was built.</param>
/// <param name="LossUpdates">Those updates.</param>
/// <param name="PopArtMu">PopArt mean of the game's targets (0 with PopArt off).</param>
/// <param name="PopArtSigma">PopArt scale of the game's targets (1 with PopArt off).</param>
/// <param name="TaskWeight">Current loss weight of the game (mean over games 1).</param>
/// <param name="Regressing">Score more than <c>MonitorConfig.RegressionDrop</c> below its best.</param>
/// <param name="Stalled">No new best for <c>MonitorConfig.StallFrames</c> frames.</param>
/// <param name="ExpertUsage">With <c>network.trunk: moe</c>, the gate's weight on each expert for this game (sums to 1);
/// null otherwise.</param>
/// <param name="GateEntropy">With <c>network.trunk: moe</c>, the entropy of that distribution in nats; null otherwise.</param>
public sealed record GameSnapshot(string Env, long Episodes, double? RecentReturn,
    double? NormalizedScore, double Epsilon, double LossTotal, long LossUpdates, double PopArtMu, double PopArtSigma,
    double TaskWeight, bool Regressing, bool Stalled, IReadOnlyList<double>? ExpertUsage = null, double? GateEntropy = null);
