using TorchSharp;

namespace MtlAgent.Cuda.Tests;

/// <summary>A fact that is skipped, with the reason, where CUDA is not available.</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute([System.Runtime.CompilerServices.CallerFilePath] string? sourceFilePath = null,
        [System.Runtime.CompilerServices.CallerLineNumber] int sourceLineNumber = -1) : base(sourceFilePath, sourceLineNumber)
    {
        Agent.Engine.TorchRuntime.Initialize();
        if (!torch.cuda.is_available()) Skip = "CUDA is not available (torch.cuda.is_available() is false)";
    }
}
