using MtlAgent.Agent.Training;

namespace MtlAgent.Cli.Training;

/// <summary>
/// Mean TD loss per game over a whole log interval. A snapshot's loss covers only the updates since
/// the previous snapshot, and the live view takes several per interval, so each is weighted by its updates.
/// </summary>
public sealed class IntervalLoss(int games, long updates)
{
    readonly double[] _sum = new double[games];
    readonly long[] _weight = new long[games];
    long _updates = updates;

    /// <summary>Takes in every snapshot, in order.</summary>
    public void Add(TrainingSnapshot s)
    {
        var delta = s.Updates - _updates;
        _updates = s.Updates;
        if (delta <= 0) return;
        for (var g = 0; g < s.Games.Count; g++)
        {
            if (s.Games[g].Loss is not { } loss) continue;
            _sum[g] += loss * delta;
            _weight[g] += delta;
        }
    }

    /// <summary><paramref name="s"/> with each game's loss replaced by the interval's mean; starts a new interval.</summary>
    public TrainingSnapshot Close(TrainingSnapshot s)
    {
        var games = s.Games.Select((g, i) => g with { Loss = _weight[i] > 0 ? _sum[i] / _weight[i] : null }).ToList();
        Array.Clear(_sum);
        Array.Clear(_weight);
        return s with { Games = games };
    }
}
