using TorchSharp;

namespace MtlAgent.Agent.Engine;

/// <summary>
/// How many TorchSharp tensors are alive, from TorchSharp's own accounting, for leak tests: take a count, run the loop,
/// take it again. Only managed <c>Tensor</c> objects count (native tensors held inside libtorch, such as saved autograd
/// state, do not), and two tensors may alias one storage.
/// </summary>
public static class LiveTensors
{
    /// <summary>
    /// Tensors created on the calling thread minus those disposed on it (<c>DisposeScopeManager.Statistics</c>, kept
    /// per thread). Tests running in parallel on other threads do not disturb it, so use this one. A tensor left to the
    /// garbage collector stays counted here, since its finalizer disposes it on the finalizer thread: that is a leak too.
    /// </summary>
    public static long OnThisThread => DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;

    /// <summary>
    /// Managed tensors alive in the whole process (<c>torch.Tensor.TotalCount</c>): includes every other thread, and
    /// grows by one for each <c>Parameter</c> made from a tensor (TorchSharp counts the tensor whose handle the
    /// parameter takes over and never uncounts it). For a diagnostic, not for an exact test.
    /// </summary>
    public static long InProcess => torch.Tensor.TotalCount;
}
