using TorchSharp;

namespace MtlAgent.Agent.Tests.Cuda;

/// <summary>A fact that is skipped, with the reason, where CUDA is not available.</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute()
    {
        if (!torch.cuda.is_available()) Skip = "CUDA is not available (torch.cuda.is_available() is false)";
    }
}
