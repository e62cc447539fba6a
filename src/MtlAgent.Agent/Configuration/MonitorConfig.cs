namespace MtlAgent.Agent.Configuration;

/// <summary>Worst-case monitor thresholds, in normalised-score units and frames per game.</summary>
public sealed record MonitorConfig
{
    /// <summary>A game whose score falls this far below its best so far is flagged as regressing.</summary>
    public double RegressionDrop { get; init; } = 0.2;

    /// <summary>A game whose best score has not improved for this many frames is flagged as stalled.</summary>
    public long StallFrames { get; init; } = 500_000;

    /// <summary>Training episodes averaged for a game's current return (MinAtar paper: last 100).</summary>
    public int ReturnWindow { get; init; } = 100;

    /// <summary>
    /// Every this many updates, measure how the games' gradients on the shared trunk relate (norms, cosines, conflicts;
    /// <c>"kind":"gradients"</c> metrics rows); 0: never. Needs two games in an update's batch (balanced sampling).
    /// </summary>
    public long GradientEvery { get; init; } = 1000;
}
