namespace MtlAgent.Agent.Evaluation;

/// <summary>Summary of a set of episode returns: mean, its standard error, and median.</summary>
/// <param name="Count">Number of episodes.</param>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="Sem">Standard error of the mean: sample standard deviation (n - 1) over sqrt(n); 0 for one episode.</param>
/// <param name="Median">Middle value, or the mean of the two middle values for an even count.</param>
public readonly record struct ReturnStatistics(int Count, double Mean, double Sem, double Median)
{
    /// <summary>Summarises <paramref name="returns"/>, which must not be empty.</summary>
    public static ReturnStatistics Of(IReadOnlyList<double> returns)
    {
        if (returns.Count == 0) throw new ArgumentException("no episode returns to summarise", nameof(returns));
        int n = returns.Count;
        double mean = returns.Average();
        double sumSquares = returns.Sum(r => (r - mean) * (r - mean));
        double sem = n > 1 ? Math.Sqrt(sumSquares / (n - 1)) / Math.Sqrt(n) : 0.0;
        return new ReturnStatistics(n, mean, sem, MedianOf(returns));
    }

    /// <summary>Median of a non-empty list (the mean of the two middle values for an even count).</summary>
    public static double MedianOf(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("no values", nameof(values));
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }
}
