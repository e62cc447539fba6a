using TorchSharp;

namespace MtlAgent.Agent.Engine;

/// <summary>
/// Scalars made once and kept alive for the process. TorchSharp's <c>add(Tensor)</c>, <c>add(Scalar)</c> and their
/// in-place forms pass a temporary <c>Scalar</c> for their <c>alpha</c> of 1 (as do implicit number-to-Scalar
/// conversions) and do not keep it alive during the native call, so another thread's collection can finalize it there
/// (README, "The tensor engine": a crash seen once). Hot paths pass these, or hold their own in <c>using</c> variables.
/// </summary>
public static class HeldScalars
{
    /// <summary>The integer 1: <c>alpha</c> of an add, <c>value</c> of an addcmul.</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>The integer 0: the bound of a clamp, the threshold of a comparison.</summary>
    public static readonly Scalar Zero = 0.ToScalar();
}
