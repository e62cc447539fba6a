using MtlAgent.Agent.Acting;
using MtlAgent.Agent.Checkpoints;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Monitoring;
using MtlAgent.Agent.Training;

namespace MtlAgent.Agent.Runs;

/// <summary>
/// What a <see cref="TrainingRunner"/> drives: a step, the counters, a snapshot, the policy to evaluate and a way to
/// checkpoint. A trainer (<see cref="TrainerLoop"/>) or, in tests, a fake whose steps are free and exact.
/// </summary>
public interface ITrainingLoop
{
    /// <summary>The run's configuration.</summary>
    TrainConfig Config { get; }
    /// <summary>Frames each game has acted.</summary>
    long FramesPerGame { get; }
    /// <summary>Learner updates done.</summary>
    long Updates { get; }
    /// <summary>One round-robin step (and the updates due).</summary>
    void Step();
    /// <summary>The current figures (no side effects).</summary>
    TrainingSnapshot Snapshot();
    /// <summary>The live policy, for evaluations during training.</summary>
    IActionValueFunction Policy { get; }
    /// <summary>The last gradient-conflict measurement, if any (a new one has a higher <see cref="GradientConflict.Updates"/>).</summary>
    GradientConflict? Gradients { get; }
    /// <summary>Writes a checkpoint into the empty <paramref name="directory"/>, with the run's training time so far.</summary>
    void SaveCheckpoint(string directory, double wallSeconds);
}

/// <summary>A <see cref="Trainer"/> as a <see cref="ITrainingLoop"/>, checkpointed by <see cref="TrainerCheckpoint"/>.</summary>
public sealed class TrainerLoop(Trainer trainer) : ITrainingLoop
{
    /// <summary>The trainer.</summary>
    public Trainer Trainer => trainer;
    /// <inheritdoc />
    public TrainConfig Config => trainer.Config;
    /// <inheritdoc />
    public long FramesPerGame => trainer.FramesPerGame;
    /// <inheritdoc />
    public long Updates => trainer.Updates;
    /// <inheritdoc />
    public void Step() => trainer.Step();
    /// <inheritdoc />
    public TrainingSnapshot Snapshot() => trainer.Snapshot();
    /// <inheritdoc />
    public IActionValueFunction Policy => trainer.Policy;
    /// <inheritdoc />
    public GradientConflict? Gradients => trainer.Gradients;
    /// <inheritdoc />
    public void SaveCheckpoint(string directory, double wallSeconds) => TrainerCheckpoint.Save(trainer, directory, wallSeconds);
}
