using MtlAgent.Agent.Configuration;

namespace MtlAgent.Agent.Monitoring;

/// <summary>One game's monitor state, as saved in checkpoints.</summary>
public sealed record GameMonitorState(long Episodes, IReadOnlyList<double> RecentReturns, double? BestScore, long BestFrame);

/// <summary>One game's current standing.</summary>
public sealed record GameStanding(string Env, long Episodes, double? RecentReturn, double? NormalizedScore, bool Regressing, bool Stalled);

/// <summary>
/// Watches every game's normalised score (mean of its last <c>ReturnWindow</c> training episodes, see
/// <see cref="ReferenceScores"/>): worst game, median and mean, and flags a game as regressing when its score is more
/// than <c>RegressionDrop</c> below its best so far, and as stalled when its best has not improved for
/// <c>StallFrames</c> frames. The best is tracked once a quarter of the window is filled, so one lucky episode does not set it.
/// </summary>
public sealed class WorstCaseMonitor
{
    private readonly MonitorConfig _config;
    private readonly IReadOnlyList<string> _games;
    private readonly Queue<double>[] _recent;
    private readonly long[] _episodes;
    private readonly double?[] _best;
    private readonly long[] _bestFrame;
    private long _frames;

    /// <summary>A monitor for <paramref name="games"/> (env ids in head order).</summary>
    public WorstCaseMonitor(IReadOnlyList<string> games, MonitorConfig config)
    {
        _config = config;
        _games = games;
        _recent = games.Select(_ => new Queue<double>()).ToArray();
        _episodes = new long[games.Count];
        _best = new double?[games.Count];
        _bestFrame = new long[games.Count];
    }

    /// <summary>
    /// Records a finished training episode of game <paramref name="game"/>, at the monitor's clock (<see cref="SetFrames"/>).
    /// </summary>
    public void RecordEpisode(int game, double episodeReturn)
    {
        var q = _recent[game];
        q.Enqueue(episodeReturn);
        while (q.Count > _config.ReturnWindow) q.Dequeue();
        _episodes[game]++;
        if (q.Count < Math.Max(1, _config.ReturnWindow / 4) || Score(game) is not { } score) return;
        if (_best[game] is null || score > _best[game]) { _best[game] = score; _bestFrame[game] = _frames; }
    }

    /// <summary>The monitor's one clock: frames per game, for the best scores' frames and stall detection.</summary>
    public void SetFrames(long framesPerGame) => _frames = framesPerGame;

    /// <summary>Mean of the last <c>ReturnWindow</c> returns of the game; null before its first episode.</summary>
    public double? RecentReturn(int game) => _recent[game].Count == 0 ? null : _recent[game].Average();

    /// <summary>Normalised score of the game's recent return; null before its first episode or without anchors.</summary>
    public double? Score(int game) => RecentReturn(game) is { } r ? ReferenceScores.Normalize(_games[game], r) : null;

    /// <summary>Scores of all games in head order.</summary>
    public IReadOnlyList<double?> Scores() => Enumerable.Range(0, _games.Count).Select(Score).ToArray();

    /// <summary>The game's current standing.</summary>
    public GameStanding Standing(int game)
    {
        double? score = Score(game), best = _best[game];
        bool regressing = score is { } s && best is { } b && s < b - _config.RegressionDrop;
        bool stalled = best is not null && _frames - _bestFrame[game] >= _config.StallFrames;
        return new GameStanding(_games[game], _episodes[game], RecentReturn(game), score, regressing, stalled);
    }

    /// <summary>
    /// Worst game (lowest score) with its score, the median and the mean over games that have scores; nulls when none has.
    /// </summary>
    public (string? WorstGame, double? Worst, double? Median, double? Mean) Summary()
    {
        var scored = Enumerable.Range(0, _games.Count)
            .Select(g => (g, s: Score(g)))
            .Where(x => x.s is not null)
            .Select(x => (x.g, s: x.s!.Value))
            .ToArray();
        if (scored.Length == 0) return (null, null, null, null);
        var worst = scored.MinBy(x => x.s);
        var sorted = scored.Select(x => x.s).Order().ToArray();
        int n = sorted.Length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return (_games[worst.g], worst.s, median, sorted.Average());
    }

    /// <summary>Per-game state for checkpoints.</summary>
    public IReadOnlyList<GameMonitorState> GetState() =>
        Enumerable.Range(0, _games.Count)
            .Select(g => new GameMonitorState(_episodes[g], _recent[g].ToArray(), _best[g], _bestFrame[g]))
            .ToArray();

    /// <summary>Restores state saved by <see cref="GetState"/> at <paramref name="framesPerGame"/>.</summary>
    public void SetState(IReadOnlyList<GameMonitorState> state, long framesPerGame)
    {
        if (state.Count != _games.Count)
            throw new ArgumentException($"monitor state has {state.Count} games, expected {_games.Count}", nameof(state));
        for (int g = 0; g < _games.Count; g++)
        {
            _episodes[g] = state[g].Episodes;
            _recent[g].Clear();
            foreach (var r in state[g].RecentReturns) _recent[g].Enqueue(r);
            _best[g] = state[g].BestScore;
            _bestFrame[g] = state[g].BestFrame;
        }
        _frames = framesPerGame;
    }
}
