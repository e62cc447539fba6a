using MtlAgent.Agent.Acting;
using MtlAgent.Agent.Randomness;
using MtlAgent.Envs;

namespace MtlAgent.Agent.Evaluation;

/// <summary>What happened in one step of a <see cref="PolicyEpisode"/>.</summary>
/// <param name="Action">Action index chosen by the policy (before any sticky substitution inside the game).</param>
/// <param name="Random">Whether the action was the epsilon draw rather than the greedy one.</param>
/// <param name="QValue">Real-unit Q-value of the chosen action (NaN where the values were not asked for).</param>
/// <param name="Reward">Reward of the step.</param>
public readonly record struct PolicyStep(int Action, bool Random, float QValue, double Reward);

/// <summary>
/// One seeded episode of a game: its environment and its own random stream, which seeds the game and then draws the
/// epsilon-greedy choices. Evaluation plays many side by side (one forward pass per step for all); replay plays one.
/// </summary>
public sealed class PolicyEpisode : IDisposable
{
    private readonly MinAtarEnv _env;
    private byte[] _observation;

    /// <summary>Makes the environment and resets it; the episode's seeds derive from (seed, game, episode index) only.</summary>
    public PolicyEpisode(string env, EnvOptions options, int seed, int episode)
    {
        Env = env;
        _env = EnvRegistry.Make(env, options);
        Rng = Xoshiro256.ForStream(seed, $"eval/{env}/{episode}");
        _observation = _env.Reset(Rng.NextSeed()).Observation;
    }

    /// <summary>Registry id of the game.</summary>
    public string Env { get; }

    /// <summary>The episode's random stream (after the game's seed was drawn from it: the epsilon-greedy draws).</summary>
    public Xoshiro256 Rng { get; }

    /// <summary>Names of the game's actions, by index.</summary>
    public IReadOnlyList<string> ActionNames => _env.Spec.ActionNames;

    /// <summary>Current observation, channels-first <c>[C, 10, 10]</c>.</summary>
    public byte[] Observation => _observation;

    /// <summary>Undiscounted return so far.</summary>
    public double Return { get; private set; }

    /// <summary>Steps taken.</summary>
    public int Steps { get; private set; }

    /// <summary>Whether the episode has ended (terminated or truncated).</summary>
    public bool Done { get; private set; }

    /// <summary>Whether the episode was cut by the step cap rather than ended by the game.</summary>
    public bool Truncated { get; private set; }

    /// <summary>Steps the game with <paramref name="action"/> (chosen by <see cref="EpsilonGreedy.Act"/>).</summary>
    public PolicyStep Step(int action, bool random, float qValue = float.NaN)
    {
        if (Done) throw new InvalidOperationException($"episode of {Env} has already ended");
        var result = _env.Step(action);
        _observation = result.Observation;
        Return += result.Reward;
        Steps++;
        Truncated = result.Truncated && !result.Terminated;
        Done = result.Terminated || result.Truncated;
        return new PolicyStep(action, random, qValue, result.Reward);
    }

    /// <summary>
    /// Plays to the end with <paramref name="policy"/> at <paramref name="epsilon"/>, one forward pass per step, calling
    /// <paramref name="onStep"/> after each step with the step and the real-unit Q-values it was chosen from.
    /// </summary>
    public void Play(IActionValueFunction policy, double epsilon, Action<PolicyStep, float[]>? onStep = null)
    {
        int game = Index(policy.Games, Env);
        var rows = new int[policy.Games.Count];
        rows[game] = 1;
        var counts = policy.Games.Select(g => EnvRegistry.Spec(g).ActionCount).ToArray();
        var actions = new int[1];
        var random = new bool[1];
        var q = new float[1][];
        while (!Done)
        {
            EpsilonGreedy.Act(policy, rows, counts, _ => _observation, epsilon, _ => Rng, actions, random, q);
            var step = Step(actions[0], random[0], q[0][actions[0]]);
            onStep?.Invoke(step, q[0]);
        }
    }

    /// <summary>Index of <paramref name="env"/> in <paramref name="games"/>; throws listing them when absent.</summary>
    public static int Index(IReadOnlyList<string> games, string env)
    {
        for (int g = 0; g < games.Count; g++) if (games[g] == env) return g;
        throw new ArgumentException($"game '{env}' is not in the policy; it has: {string.Join(", ", games)}");
    }

    /// <inheritdoc/>
    public void Dispose() => _env.Dispose();
}
