namespace MtlAgent.Agent.Training;

/// <summary>Where a run stands: counters, every game's figures, and the worst-case summary of normalised scores.</summary>
public sealed record TrainingSnapshot(long FramesPerGame, long Updates, IReadOnlyList<GameSnapshot> Games,
    string? WorstGame, double? WorstScore, double? MedianScore, double? MeanScore);

/// <summary>One game's figures in a <see cref="TrainingSnapshot"/>.</summary>
/// <param name="Env">Env id.</param>
/// <param name="Episodes">Training episodes finished.</param>
/// <param name="RecentReturn">Mean return of the last <c>MonitorConfig.ReturnWindow</c> training episodes.</param>
/// <param name="NormalizedScore">(R - R_random) / (R_reference - R_random) of <paramref name="RecentReturn"/>.</param>
/// <param name="Epsilon">Current exploration rate.</param>
/// <param name="Loss">Mean TD loss (normalised units under PopArt) since the previous snapshot; null when no update ran.</param>
/// <param name="PopArtMu">PopArt mean of the game's targets (0 with PopArt off).</param>
/// <param name="PopArtSigma">PopArt scale of the game's targets (1 with PopArt off).</param>
/// <param name="TaskWeight">Current loss weight of the game (mean over games 1).</param>
/// <param name="Regressing">Score more than <c>MonitorConfig.RegressionDrop</c> below its best.</param>
/// <param name="Stalled">No new best for <c>MonitorConfig.StallFrames</c> frames.</param>
public sealed record GameSnapshot(string Env, long Episodes, double? RecentReturn,
    double? NormalizedScore, double Epsilon, double? Loss, double PopArtMu, double PopArtSigma,
    double TaskWeight, bool Regressing, bool Stalled);

/// <summary>A loss became NaN or infinite; thrown before any optimizer step uses it.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);

