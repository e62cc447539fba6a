using System.CommandLine;
using System.Diagnostics;
using MtlAgent.Envs;

namespace MtlAgent.Cli.Commands;

/// <summary>
/// <c>mtl bench envs</c>: single-thread steps per second of each game (random minimal-set actions,
/// sticky actions on, auto-reset, observation written every step) and of the vector env.
/// </summary>
public static class BenchEnvsCommand
{
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "Measuring time per game and mode", DefaultValueFactory = _ => 1.0 };
        var numEnvs = new Option<int>("--num-envs") { Description = "Copies in the vector env", DefaultValueFactory = _ => 16 };
        var json = new Option<string?>("--json") { Description = "Also write the result as JSON to this file" };
        var cmd = new Command("envs", "Environment steps per second, single env and vector env, one thread");
        foreach (Option o in new Option[] { seconds, numEnvs, json }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            double s = parse.GetValue(seconds);
            int n = parse.GetValue(numEnvs);
            if (!(s > 0)) throw new ArgumentException($"--seconds must be positive, got {s}");
            if (n < 1) throw new ArgumentException($"--num-envs must be at least 1, got {n}");
            var rows = new List<Benchmark>();
            Console.WriteLine($"{"env",-26} {"mode",-7} {"num_envs",8} {"steps/s",14}");
            foreach (string id in EnvRegistry.Ids.Where(i => i.EndsWith("-v1", StringComparison.Ordinal)))
            {
                foreach (var b in new[] { Single(id, s), Vector(id, n, s) })
                {
                    rows.Add(b);
                    Console.WriteLine($"{b.Env,-26} {b.Mode,-7} {b.NumEnvs,8} {b.StepsPerSecond,14:N0}");
                }
            }
            if (parse.GetValue(json) is { } path)
                JsonOutput.Write(path, new
                {
                    benchmarks = rows.Select(b =>
                        new { env = b.Env, mode = b.Mode, num_envs = b.NumEnvs, steps_per_second = b.StepsPerSecond })
                });
            return 0;
        });
        return cmd;
    }

    /// <summary>One measured rate.</summary>
    public sealed record Benchmark(string Env, string Mode, int NumEnvs, double StepsPerSecond);

    /// <summary>Steps one env with random actions for about <paramref name="seconds"/>.</summary>
    public static Benchmark Single(string id, double seconds)
    {
        using MinAtarEnv env = EnvRegistry.Make(id);
        env.Reset(0);
        var obs = new byte[env.ObservationSize];
        int actions = env.ActionSpace.N;
        uint rng = 2463534242;
        long steps = Measure(seconds, () =>
        {
            for (int i = 0; i < 1024; i++)
            {
                rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5;
                if (env.StepInPlace((int)(rng % (uint)actions)).Done) env.ResetInPlace();
                env.WriteObservation(obs);
            }
            return 1024;
        });
        return new Benchmark(id, "single", 1, steps / seconds);
    }

    /// <summary>Steps a vector env of <paramref name="numEnvs"/> copies for about <paramref name="seconds"/>; counts env steps.</summary>
    public static Benchmark Vector(string id, int numEnvs, double seconds)
    {
        using var vec = new VectorEnv(id, numEnvs, seed: 0);
        vec.Reset();
        var actions = new int[numEnvs];
        int n = vec.ActionSpace.N;
        uint rng = 2463534242;
        long steps = Measure(seconds, () =>
        {
            for (int k = 0; k < 64; k++)
            {
                for (int i = 0; i < actions.Length; i++)
                {
                    rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5;
                    actions[i] = (int)(rng % (uint)n);
                }
                vec.Step(actions);
            }
            return 64L * numEnvs;
        });
        return new Benchmark(id, "vector", numEnvs, steps / seconds);
    }

    /// <summary>Runs chunks for a short warm-up, then for the given time; returns steps per the measured time, scaled to it.</summary>
    private static long Measure(double seconds, Func<long> chunk)
    {
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < Math.Min(0.2, seconds / 4)) chunk();
        long steps = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < seconds) steps += chunk();
        return (long)(steps * seconds / sw.Elapsed.TotalSeconds);
    }
}
