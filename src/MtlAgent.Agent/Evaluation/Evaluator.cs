using MtlAgent.Agent.Acting;
using MtlAgent.Agent.Monitoring;
using MtlAgent.Envs;

namespace MtlAgent.Agent.Evaluation;

/// <summary>
/// Plays seeded epsilon-greedy episodes of each game and summarises their returns. All episodes of a game run
/// side by side so each step is one batched forward pass; every episode has its own seeds, so results do not
/// depend on batching, on the other games evaluated, or on their order. Scores are normalised by <see cref="ReferenceScores"/>.
/// </summary>
public sealed class Evaluator(IActionValueFunction policy, EnvOptions envOptions)
{
    /// <summary>Evaluates every game in <paramref name="games"/> and summarises across them.</summary>
    public EvaluationReport Evaluate(IReadOnlyList<string> games, EvaluationOptions options, string? checkpoint, long frames)
    {
        options.Validate();
        foreach (var g in games) GameSelection.Require(g, policy.Games, "the policy");
        var results = games.Select(g => EvaluateGame(g, options)).ToList();
        return EvaluationReport.Summarize(checkpoint, frames, results);
    }

    /// <summary>Plays <see cref="EvaluationOptions.Episodes"/> episodes of <paramref name="env"/>.</summary>
    public GameEvaluation EvaluateGame(string env, EvaluationOptions options)
    {
        options.Validate();
        var episodes = new List<PolicyEpisode>(options.Episodes);
        int game = PolicyEpisode.Index(policy.Games, env);
        var rows = new int[policy.Games.Count];
        var counts = policy.Games.Select(g => EnvRegistry.Spec(g).ActionCount).ToArray();
        var actions = new int[options.Episodes];
        var random = new bool[options.Episodes];
        try
        {
            for (int i = 0; i < options.Episodes; i++) episodes.Add(StartEpisode(env, options, i));
            for (var live = episodes; live.Count > 0; live = live.Where(e => !e.Done).ToList())
            {
                rows[game] = live.Count;
                EpsilonGreedy.Act(policy, rows, counts, r => live[r].Observation, options.Epsilon, r => live[r].Rng,
                    actions.AsSpan(0, live.Count), random.AsSpan(0, live.Count));
                for (int i = 0; i < live.Count; i++) live[i].Step(actions[i], random[i]);
            }
        }
        finally
        {
            foreach (var e in episodes) e.Dispose();
        }
        var returns = episodes.Select(e => e.Return).ToList();
        var stats = ReturnStatistics.Of(returns);
        return new GameEvaluation(env, stats.Count, stats.Mean, stats.Sem, stats.Median,
            NormalizedScore(env, stats.Mean), episodes.Count(e => e.Truncated))
        {
            Returns = returns,
            Steps = episodes.Select(e => e.Steps).ToList(),
        };
    }

    /// <summary>
    /// Episode <paramref name="index"/> of <paramref name="env"/> exactly as <see cref="EvaluateGame"/> plays it (same seeds,
    /// epsilon and step cap), reset and ready to act: replay uses it to show the episodes an evaluation counted.
    /// </summary>
    public PolicyEpisode StartEpisode(string env, EvaluationOptions options, int index) =>
        new(env, envOptions with { MaxEpisodeSteps = options.MaxEpisodeSteps }, options.Seed, index);

    private static double NormalizedScore(string env, double meanReturn) =>
        ReferenceScores.Normalize(env, meanReturn)
        ?? throw new ArgumentException($"no reference scores for '{env}' to normalise its return (see ReferenceScores)");
}
