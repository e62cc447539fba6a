using MtlAgent.Agent.Evaluation;

namespace MtlAgent.Cli.Watching;

/// <summary>Where a replay goes: the terminal, live, or an animated GIF.</summary>
public interface IReplayView : IDisposable
{
    /// <summary>Shows the initial observation of episode <paramref name="index"/> (zero-based) of <paramref name="count"/>.</summary>
    void BeginEpisode(PolicyEpisode episode, int index, int count);

    /// <summary>
    /// Shows the observation after <paramref name="step"/>; <paramref name="qValues"/> are the values it was chosen from.
    /// </summary>
    void Step(PolicyEpisode episode, PolicyStep step, IReadOnlyList<float> qValues);

    /// <summary>Called once every episode has been shown without error (a GIF is only kept then).</summary>
    void Complete();
}
