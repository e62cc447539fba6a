// Live-tensor counts are process-wide, so tests that assert on them must not run beside others.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace MtlAgent.Torch.Tests;

internal static class LiveCount
{
    /// <summary>The live native tensor count once garbage from earlier tests has been finalized.</summary>
    internal static long Settled()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return torch.LiveTensorCount;
    }
}
