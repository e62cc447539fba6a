using MtlAgent.Agent.Engine;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Learning;

/// <summary>One-step Q-learning targets, in whatever units the next-state values are given.</summary>
public static class TdTarget
{
    /// <summary>
    /// <c>r + discount * bootstrap</c>, with discount = gamma, or 0 for a transition that ended the game. Double DQN
    /// (<paramref name="nextQOnline"/> given): the online network chooses <c>argmax_a Q_online(s', a)</c> and the target
    /// network evaluates it; plain (null): <c>max_a Q_target(s', a)</c> as in the MinAtar reference.
    /// <paramref name="nextQTarget"/> and <paramref name="nextQOnline"/> are <c>[n, A]</c>, the others <c>[n]</c>.
    /// </summary>
    public static Tensor Compute(Tensor reward, Tensor discount, Tensor nextQTarget, Tensor? nextQOnline)
    {
        var bootstrap = nextQOnline is null
            ? nextQTarget.max(1).values
            : nextQTarget.gather(1, nextQOnline.argmax(1).unsqueeze(1)).squeeze(1);
        return reward.addcmul(discount, bootstrap, HeldScalars.One);
    }
}
