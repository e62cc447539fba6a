using MtlAgent.Agent.Randomness;
using MtlAgent.Envs;

namespace MtlAgent.Agent.Evaluation;

/// <summary>What happened in one step of a <see cref="PolicyEpisode"/>.</summary>
/// <param name="Action">Action index chosen by the policy (before any sticky substitution inside the game).</param>
/// <param name="Random">Whether the action was the epsilon draw rather than the greedy one.</param>
/// <param name="QValue">Q-value of the chosen action.</param>
/// <param name="Reward">Reward of the step.</param>
public readonly record struct PolicyStep(int Action, bool Random, float QValue, double Reward);

/// <summary>
/// One seeded episode of a game played epsilon-greedily from given Q-values. Evaluation runs many side by side
/// (one batched forward pass per step); replay runs one and renders each step.
/// </summary>
public sealed class PolicyEpisode : IDisposable
{
    readonly MinAtarEnv _env;
    readonly Xoshiro256 _rng;
    readonly double _epsilon;

    /// <summary>Makes the environment and resets it; the episode's seeds derive from (seed, game, episode index) only.</summary>
    public PolicyEpisode(string env, EnvOptions options, int seed, int episode, double epsilon)
    {
        Env = env;
        _env = EnvRegistry.Make(env, options);
        _rng = Xoshiro256.ForStream(seed, $"eval/{env}/{episode}");
        _epsilon = epsilon;
        Observation = _env.Reset(_rng.NextSeed()).Observation;
    }

    /// <summary>Registry id of the game.</summary>
    public string Env { get; }

    /// <summary>Names of the game's actions, by index.</summary>
    public IReadOnlyList<string> ActionNames => _env.Spec.ActionNames;

    /// <summary>Current observation, channels-first <c>[C, 10, 10]</c>.</summary>
    public byte[] Observation { get; private set; }

    /// <summary>Undiscounted return so far.</summary>
    public double Return { get; private set; }

    /// <summary>Steps taken.</summary>
    public int Steps { get; private set; }

    /// <summary>Whether the episode has ended (terminated or truncated).</summary>
    public bool Done { get; private set; }

    /// <summary>Whether the episode was cut by the step cap rather than ended by the game.</summary>
    public bool Truncated { get; private set; }

    /// <summary>Chooses an action from <paramref name="qValues"/> (the policy's values for <see cref="Observation"/>) and steps the game.</summary>
    public PolicyStep Act(ReadOnlySpan<float> qValues)
    {
        if (Done) throw new InvalidOperationException($"episode of {Env} has already ended");
        var (action, random) = EpsilonGreedy.Select(qValues, _epsilon, _rng);
        var result = _env.Step(action);
        Observation = result.Observation;
        Return += result.Reward;
        Steps++;
        Truncated = result.Truncated && !result.Terminated;
        Done = result.Terminated || result.Truncated;
        return new PolicyStep(action, random, qValues[action], result.Reward);
    }

    /// <summary>Plays to the end, one forward pass per step, calling <paramref name="onStep"/> after each step.</summary>
    public void Play(IActionValueFunction policy, Action<PolicyStep, float[]>? onStep = null)
    {
        while (!Done)
        {
            var q = policy.QValues(Env, [Observation])[0];
            var step = Act(q);
            onStep?.Invoke(step, q);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _env.Dispose();
}
