using static TorchSharp.torch;

namespace MtlAgent.Agent.Engine;

/// <summary>The flat optimizers' optional per-coordinate learning-rate multiplier.</summary>
internal static class LearningRateScale
{
    /// <summary>
    /// A copy of <paramref name="scale"/> owned by the optimizer (null stays null); throws <see cref="ArgumentException"/>
    /// unless it has the flat parameters' shape, dtype and device and is positive.
    /// </summary>
    public static Tensor? Copy(Tensor? scale, Tensor data)
    {
        if (scale is null) return null;
        bool sameDevice = scale.device_type == data.device_type && scale.device_index == data.device_index;
        if (!scale.shape.SequenceEqual(data.shape) || scale.dtype != data.dtype || !sameDevice)
            throw new ArgumentException($"a learning-rate scale needs shape [{string.Join(", ", data.shape)}], {data.dtype} on " +
                $"{data.device}; got [{string.Join(", ", scale.shape)}], {scale.dtype} on {scale.device}", nameof(scale));
        using (var positive = scale.gt(HeldScalars.Zero).all())
        {
            if (!positive.item<bool>()) throw new ArgumentException("a learning-rate scale must be positive everywhere", nameof(scale));
        }
        return scale.detach().clone().DetachFromDisposeScope();
    }
}
