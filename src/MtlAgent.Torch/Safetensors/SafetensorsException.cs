namespace MtlAgent.Torch.Safetensors;

/// <summary>A safetensors file that is malformed, hostile or unsupported; the message says what is wrong.</summary>
public sealed class SafetensorsException : Exception
{
    public SafetensorsException(string message, Exception? inner = null) : base(message, inner) { }
}
