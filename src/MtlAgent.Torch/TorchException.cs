using System.Runtime.InteropServices;

namespace MtlAgent.Torch;

/// <summary>An error reported by libtorch (or the bridge), carrying libtorch's own message.</summary>
public sealed class TorchException : ExternalException
{
    /// <summary>Creates the exception with libtorch's message.</summary>
    public TorchException(string message) : base(message) { }
}
