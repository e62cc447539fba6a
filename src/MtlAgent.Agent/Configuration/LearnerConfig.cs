namespace MtlAgent.Agent.Configuration;

/// <summary>The DQN update: targets, loss, optimizer, cadence.</summary>
public sealed record LearnerConfig
{
    /// <summary>Discount (MinAtar GAMMA: 0.99).</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>
    /// Double-DQN targets (online network chooses, target evaluates); false = the reference's max over the target network.
    /// </summary>
    public bool DoubleDqn { get; init; } = true;

    /// <summary>Optimizer: <c>rmsprop</c> (reference) or <c>adam</c>.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.RmsProp;

    /// <summary>Step size (MinAtar STEP_SIZE: 0.00025).</summary>
    public double LearningRate { get; init; } = 2.5e-4;

    /// <summary>
    /// <c>none</c>: the step size is <see cref="LearningRate"/>; <c>games</c>: <see cref="LearningRate"/> times the number of
    /// games each update averages (<c>Learning.Optimizers.StepSize</c>). The same for one game.
    /// </summary>
    public LearningRateScaling LearningRateScaling { get; init; } = LearningRateScaling.None;

    /// <summary>
    /// <c>shared</c>: one optimizer state; <c>per_game</c>: one per game, each stepped by that game's updates only (needs
    /// <c>tasks.sampling: round_robin</c>; the same as <c>shared</c> for one game).
    /// </summary>
    public OptimizerState OptimizerState { get; init; } = OptimizerState.Shared;

    /// <summary>
    /// <c>none</c>: the gradient of the combined loss; <c>pcgrad</c>: PCGrad's projected game gradients on the shared
    /// parameters (<c>Learning.PcGrad</c>; needs <c>tasks.sampling: balanced</c> and a design that shares parameters; the
    /// same as <c>none</c> for one game).
    /// </summary>
    public GradientSurgery GradientSurgery { get; init; } = GradientSurgery.None;

    /// <summary>RMSprop smoothing constant (MinAtar SQUARED_GRAD_MOMENTUM: 0.95).</summary>
    public double RmsAlpha { get; init; } = 0.95;

    /// <summary>RMSprop epsilon, added outside the square root (MinAtar MIN_SQUARED_GRAD: 0.01).</summary>
    public double RmsEps { get; init; } = 0.01;

    /// <summary>Centered RMSprop (MinAtar: true).</summary>
    public bool RmsCentered { get; init; } = true;

    /// <summary>Adam epsilon (Dopamine MinAtar configs: 3.125e-4).</summary>
    public double AdamEps { get; init; } = 3.125e-4;

    /// <summary>Huber threshold (smooth-L1 beta; reference 1).</summary>
    public double HuberDelta { get; init; } = 1.0;

    /// <summary>Gradient norm clip; null = none (reference: none).</summary>
    public double? MaxGradNorm { get; init; } = null;

    /// <summary>Frames per game before updates start (MinAtar REPLAY_START_SIZE: 5,000).</summary>
    public long LearningStarts { get; init; } = 5_000;

    /// <summary>Round-robin steps (one frame of every game) between updates (MinAtar TRAINING_FREQ: 1).</summary>
    public int UpdatePeriod { get; init; } = 1;

    /// <summary>Updates between target-network copies (MinAtar TARGET_NETWORK_UPDATE_FREQ: 1,000).</summary>
    public int TargetUpdatePeriod { get; init; } = 1_000;
}
