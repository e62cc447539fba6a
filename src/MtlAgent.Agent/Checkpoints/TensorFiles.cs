using MtlAgent.Agent.Training;
using MtlAgent.Torch;
using MtlAgent.Torch.Safetensors;
using static MtlAgent.Torch.torch;

namespace MtlAgent.Agent.Checkpoints;

/// <summary>Module weights in and out of safetensors files, with checkpoint-quality errors.</summary>
public static class TensorFiles
{
    /// <summary>The parameters of <paramref name="module"/> under <paramref name="prefix"/> (e.g. <c>online.fc.weight</c>).</summary>
    public static IEnumerable<KeyValuePair<string, Tensor>> Named(nn.Module module, string prefix) =>
        module.named_parameters().Select(p => new KeyValuePair<string, Tensor>(prefix + p.name, p.parameter));

    /// <summary>Writes named tensors and metadata as safetensors (temporary name, then rename).</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string> metadata) =>
        SafetensorsFile.Save(path, tensors, metadata);

    /// <summary>Reads a safetensors file; throws <see cref="CheckpointException"/> naming the file when missing or malformed.</summary>
    public static (Dictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Read(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException($"checkpoint file {path} is missing");
        try
        {
            var file = SafetensorsFile.Load(path, CPU);
            return (file.Tensors, file.Metadata);
        }
        catch (Exception e) when (e is SafetensorsException or IOException or TorchException)
        {
            throw new CheckpointException($"{path} is corrupt or truncated: {e.Message}", e);
        }
    }

    /// <summary>
    /// Copies <paramref name="prefix"/>-named tensors into <paramref name="module"/>'s parameters (any device); throws
    /// <see cref="CheckpointException"/> for a missing name or a shape mismatch.
    /// </summary>
    public static void CopyInto(nn.Module module, string prefix, IReadOnlyDictionary<string, Tensor> tensors, string file)
    {
        using var _ = no_grad();
        foreach (var (name, parameter) in module.named_parameters())
        {
            if (!tensors.TryGetValue(prefix + name, out var saved)) throw new CheckpointException($"{file} lacks tensor '{prefix + name}'");
            if (!saved.shape.SequenceEqual(parameter.shape))
                throw new CheckpointException($"{file}: tensor '{prefix + name}' has shape [{string.Join(", ", saved.shape)}], the network expects [{string.Join(", ", parameter.shape)}] (network settings differ)");
            parameter.copy_(saved);
        }
    }
}
