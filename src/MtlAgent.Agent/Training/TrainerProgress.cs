using MtlAgent.Agent.Monitoring;
using MtlAgent.Agent.Tasks;

namespace MtlAgent.Agent.Training;

/// <summary>A trainer's state besides its tensors and replays: what a checkpoint needs to continue bitwise exactly.</summary>
/// <param name="FramesPerGame">Frames each game has acted.</param>
/// <param name="Updates">Gradient updates done.</param>
/// <param name="Steps">Round-robin steps done.</param>
/// <param name="ActingRng">States of the games' acting random streams, four words per game in head order.</param>
/// <param name="ReplayRng">States of the games' replay-sampling random streams, four words per game in head order.</param>
/// <param name="EnvStates">Each environment copy's complete state, row g * EnvsPerGame + e.</param>
/// <param name="EpisodeReturns">Return so far of each copy's running episode, same rows.</param>
/// <param name="Monitor">Worst-case monitor state per game.</param>
/// <param name="TaskWeighting">The learned task weighting's state (<c>gradnorm</c>, <c>uncertainty</c>), else null.</param>
public sealed record TrainerProgress(long FramesPerGame, long Updates, long Steps, IReadOnlyList<ulong> ActingRng,
    IReadOnlyList<ulong> ReplayRng, IReadOnlyList<byte[]> EnvStates, IReadOnlyList<double> EpisodeReturns,
    IReadOnlyList<GameMonitorState> Monitor, LearnedWeightingState? TaskWeighting = null);
