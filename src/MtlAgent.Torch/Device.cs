namespace MtlAgent.Torch;

/// <summary>Device kinds; values are libtorch's (c10::DeviceType).</summary>
public enum DeviceType
{
    CPU = 0,
    CUDA = 1,
}

/// <summary>A device: type and index (-1: the current device of that type), as torch.device.</summary>
public sealed record Device(DeviceType type, int index = -1)
{
    /// <summary>Parses "cpu", "cuda" or "cuda:N".</summary>
    public static Device Parse(string description)
    {
        var s = description.Trim().ToLowerInvariant();
        if (s == "cpu") return new Device(DeviceType.CPU);
        if (s == "cuda") return new Device(DeviceType.CUDA);
        if (s.StartsWith("cuda:") && int.TryParse(s.AsSpan(5), out var i) && i >= 0) return new Device(DeviceType.CUDA, i);
        throw new ArgumentException($"unknown device '{description}'; known: cpu, cuda, cuda:N");
    }

    /// <summary>Throws a clear error when CUDA is asked for but this libtorch has none.</summary>
    internal Device CheckAvailable()
    {
        if (type == DeviceType.CUDA && !torch.cuda.is_available())
            throw new InvalidOperationException(
                $"device '{this}' requested but CUDA is not available (torch.cuda.is_available() is false): " +
                "this libmtltorch was built against a CPU-only libtorch or no GPU is visible. Build it against a " +
                "CUDA libtorch (MSBuild property TorchCMakePrefixPath) and/or point MTL_TORCH_NATIVE at that build.");
        return this;
    }

    /// <summary>PyTorch's spelling: "cpu", "cuda", "cuda:0".</summary>
    public override string ToString() =>
        (type == DeviceType.CPU ? "cpu" : "cuda") + (index >= 0 && type != DeviceType.CPU ? $":{index}" : "");
}
