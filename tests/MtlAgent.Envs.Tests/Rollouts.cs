namespace MtlAgent.Envs.Tests;

/// <summary>Plays whole episodes with a simple policy and summarises them.</summary>
internal static class Rollouts
{
    internal sealed record Summary(double ReturnMean, double ReturnSem, double LengthMean, double LengthSem, int MinLength, int MaxLength,
        double[] Returns, int[] Lengths);

    /// <summary>Plays <paramref name="episodes"/> episodes, seeding the env once with <paramref name="seed"/>.</summary>
    internal static Summary Play(string id, int episodes, int seed, Func<Random, MinAtarEnv, int> policy, EnvOptions? options = null)
    {
        using var env = EnvRegistry.Make(id, options);
        var random = new Random(seed);
        var returns = new double[episodes];
        var lengths = new int[episodes];
        env.Reset(seed);
        for (int e = 0; e < episodes; e++)
        {
            if (e > 0) env.Reset();
            StepStatus s;
            do s = env.StepInPlace(policy(random, env));
            while (!s.Done);
            returns[e] = env.EpisodeReturn;
            lengths[e] = env.EpisodeStep;
        }
        return new Summary(returns.Average(), Sem(returns), lengths.Average(), Sem(lengths.Select(l => (double)l).ToArray()),
            lengths.Min(), lengths.Max(), returns, lengths);
    }

    internal static double Sem(double[] xs)
    {
        double mean = xs.Average();
        double var = xs.Sum(x => (x - mean) * (x - mean)) / (xs.Length - 1);
        return Math.Sqrt(var / xs.Length);
    }

    internal static int Random(Random r, MinAtarEnv env) => r.Next(env.ActionSpace.N);
}
