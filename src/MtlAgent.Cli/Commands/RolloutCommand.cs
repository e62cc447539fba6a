using System.CommandLine;
using MtlAgent.Envs;

namespace MtlAgent.Cli.Commands;

/// <summary>
/// <c>mtl rollout</c>: plays episodes with a fixed policy (random, noop, always-&lt;action&gt;) and
/// prints each episode and the summary. The env is seeded once with <c>--seed</c> before the first
/// episode (later episodes continue the stream, as upstream); the random policy draws from its own
/// generator seeded with the same value.
/// </summary>
public static class RolloutCommand
{
    public static Command Create()
    {
        var env = new Option<string>("--env") { Description = "Environment id (see `mtl envs`)", Required = true };
        var policy = new Option<string>("--policy")
        {
            Description = "random, noop, or always-<action> (e.g. always-fire)", DefaultValueFactory = _ => "random",
        };
        var episodes = new Option<int>("--episodes") { Description = "Episodes to play", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed")
        {
            Description = "Seed of the environment and of the random policy", DefaultValueFactory = _ => 0,
        };
        var maxSteps = new Option<int?>("--max-steps")
        {
            Description = "Truncate episodes after this many steps (default: no cap, as upstream)",
        };
        var json = new Option<string?>("--json") { Description = "Also write the result as JSON to this file" };
        var cmd = new Command("rollout", "Play episodes with a fixed policy and report returns and lengths");
        foreach (Option o in new Option[] { env, policy, episodes, seed, maxSteps, json }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var result = Run(parse.GetValue(env)!, parse.GetValue(policy)!, parse.GetValue(episodes), parse.GetValue(seed),
                parse.GetValue(maxSteps));
            Print(result);
            if (parse.GetValue(json) is { } path) JsonOutput.Write(path, ToJson(result));
            return 0;
        });
        return cmd;
    }

    /// <summary>One played episode.</summary>
    public sealed record Episode(double Return, int Length, bool Truncated);

    /// <summary>A rollout's episodes and what produced them.</summary>
    public sealed record Result(string Env, string Policy, int Seed, IReadOnlyList<Episode> Episodes)
    {
        public double ReturnMean => Episodes.Average(e => e.Return);
        /// <summary>Population standard deviation, as in the MinAtar reference table.</summary>
        public double ReturnSd => Math.Sqrt(Episodes.Average(e => (e.Return - ReturnMean) * (e.Return - ReturnMean)));
        public double ReturnSem => ReturnSd / Math.Sqrt(Episodes.Count);
        public double LengthMean => Episodes.Average(e => e.Length);
    }

    /// <summary>Plays the episodes; bad ids, policies or counts throw with the accepted values.</summary>
    public static Result Run(string id, string policyName, int episodes, int seed, int? maxSteps)
    {
        if (episodes < 1) throw new ArgumentException($"--episodes must be at least 1, got {episodes}");
        if (seed < 0) throw new ArgumentException($"--seed must be non-negative, got {seed}");
        if (maxSteps is < 1) throw new ArgumentException($"--max-steps must be at least 1, got {maxSteps}");
        using MinAtarEnv env = EnvRegistry.Make(id, new EnvOptions { MaxEpisodeSteps = maxSteps });
        Func<int> policy = Policy(env.Spec, policyName, new Random(seed));
        var played = new List<Episode>();
        env.Reset(seed);
        for (int e = 0; e < episodes; e++)
        {
            if (e > 0) env.ResetInPlace();
            StepStatus s;
            do s = env.StepInPlace(policy());
            while (!s.Done);
            played.Add(new Episode(env.EpisodeReturn, env.EpisodeStep, s.Truncated));
        }
        return new Result(id, policyName, seed, played);
    }

    /// <summary>The accepted policy names for <paramref name="spec"/>.</summary>
    public static IReadOnlyList<string> PolicyNames(EnvSpec spec) =>
        ["random", "noop", .. spec.ActionNames.Select(a => $"always-{a}")];

    private static Func<int> Policy(EnvSpec spec, string name, Random random)
    {
        if (name == "random") return () => random.Next(spec.ActionCount);
        string action = name == "noop" ? "noop" : name.StartsWith("always-", StringComparison.Ordinal) ? name["always-".Length..] : "";
        int index = spec.ActionNames.ToList().IndexOf(action);
        if (index < 0)
            throw new ArgumentException($"unknown policy '{name}' for {spec.Id}; known: {string.Join(", ", PolicyNames(spec))}");
        return () => index;
    }

    private static void Print(Result r)
    {
        Console.WriteLine($"{r.Env}, policy {r.Policy}, seed {r.Seed}");
        for (int i = 0; i < r.Episodes.Count; i++)
        {
            Episode e = r.Episodes[i];
            Console.WriteLine($"  episode {i + 1,4}: return {e.Return,6:0.###}  length {e.Length,6}{(e.Truncated ? "  (truncated)" : "")}");
        }
        Console.WriteLine($"return mean {r.ReturnMean:0.###}  sd {r.ReturnSd:0.###}  sem {r.ReturnSem:0.###}  length mean " +
            $"{r.LengthMean:0.#}  ({r.Episodes.Count} episodes)");
    }

    private static object ToJson(Result r) => new
    {
        env = r.Env,
        policy = r.Policy,
        seed = r.Seed,
        episodes = r.Episodes.Select(e => new { @return = e.Return, length = e.Length, truncated = e.Truncated }),
        summary = new { return_mean = r.ReturnMean, return_sd = r.ReturnSd, return_sem = r.ReturnSem, length_mean = r.LengthMean },
    };
}
