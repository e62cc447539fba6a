using TorchSharp;

namespace MtlAgent.Agent.Engine;

/// <summary>Tensors alive on the calling thread, by TorchSharp's own accounting (created minus disposed), for leak tests.</summary>
public static class LiveTensors
{
    /// <summary>
    /// Tensors created on this thread and not yet disposed. A tensor left to the garbage collector never counts as
    /// disposed here (its finalizer runs on another thread), so a loop that leaks shows up as a growing count.
    /// </summary>
    public static long Count => DisposeScopeManager.Statistics.ThreadTotalLiveCount;
}
