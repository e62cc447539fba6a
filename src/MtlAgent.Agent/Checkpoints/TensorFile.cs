using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using MtlAgent.Agent.Training;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Checkpoints;

/// <summary>
/// Named tensors in and out of safetensors files. Reading and writing are TorchSharp.PyBridge's; what it lacks is kept
/// here: the header is checked against the file before anything is allocated (PyBridge allocates each tensor from the
/// header's shape before comparing it with the data it has), so a truncated, corrupt or hostile file is a
/// <see cref="CheckpointException"/> naming the file, with memory bounded by the file's size.
/// </summary>
public static class TensorFile
{
    /// <summary>Largest header accepted (real headers here are a few kilobytes).</summary>
    public const long MaxHeaderBytes = 16L * 1024 * 1024;

    private static readonly Dictionary<string, long> ElementSizes = new()
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1, ["U8"] = 1, ["BOOL"] = 1,
    };

    /// <summary>Writes <paramref name="tensors"/> (any device) to a new file at <paramref name="path"/>.</summary>
    public static void Write(string path, IEnumerable<(string Name, Tensor Tensor)> tensors)
    {
        var dict = new Dictionary<string, Tensor>();
        foreach (var (name, t) in tensors)
            if (!dict.TryAdd(name, t)) throw new ArgumentException($"duplicate tensor name '{name}'");
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        Safetensors.SaveStateDict(stream, dict, leaveOpen: true);
    }

    /// <summary>Reads every tensor of <paramref name="path"/> onto the CPU, after checking the file's layout.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException($"checkpoint file {path} is missing");
        Check(path);
        try
        {
            var tensors = Safetensors.LoadStateDict(path);
            foreach (var t in tensors.Values) t.DetachFromDisposeScope();
            return tensors;
        }
        catch (Exception e) when (e is IOException or JsonException or NotImplementedException or ArgumentException or ExternalException)
        {
            throw new CheckpointException($"{path} is corrupt or truncated: {e.Message}", e);
        }
    }

    /// <summary>The parameters of <paramref name="module"/> under <paramref name="prefix"/> (e.g. <c>online.fc.weight</c>).</summary>
    public static IEnumerable<(string Name, Tensor Tensor)> Named(nn.Module module, string prefix) =>
        module.named_parameters().Select(p => (prefix + p.name, (Tensor)p.parameter));

    /// <summary>
    /// Copies <paramref name="prefix"/>-named tensors into <paramref name="module"/>'s parameters (any device); throws
    /// <see cref="CheckpointException"/> naming <paramref name="file"/> for missing or unexpected names under the prefix
    /// (listing them, with <paramref name="design"/>, the settings the module was built with) or a shape mismatch.
    /// </summary>
    public static void CopyInto(nn.Module module, string prefix, IReadOnlyDictionary<string, Tensor> tensors, string file,
        string design)
    {
        using var _ = no_grad();
        var expected = module.named_parameters().Select(p => prefix + p.name).ToHashSet();
        var missing = expected.Where(n => !tensors.ContainsKey(n)).ToList();
        var unexpected = tensors.Keys.Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && !expected.Contains(n)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new CheckpointException(
                $"{file} does not hold the weights of a network with {design}: " +
                (missing.Count > 0 ? $"missing {Names(missing)}" : "") + (missing.Count > 0 && unexpected.Count > 0 ? "; " : "") +
                (unexpected.Count > 0 ? $"unexpected {Names(unexpected)}" : "") +
                " (was it written with other network settings?)");
        foreach (var (name, parameter) in module.named_parameters())
        {
            var saved = tensors[prefix + name];
            if (!saved.shape.SequenceEqual(parameter.shape))
                throw new CheckpointException(
                    $"{file}: tensor '{prefix + name}' has shape [{string.Join(", ", saved.shape)}], the network expects [" +
                    $"{string.Join(", ", parameter.shape)}] (network settings differ)");
            parameter.copy_(saved);
        }
    }

    // At most eight names, then how many more: a mismatched design can differ in dozens of keys.
    private static string Names(IReadOnlyList<string> names) =>
        string.Join(", ", names.Take(8).Select(n => $"'{n}'")) + (names.Count > 8 ? $" and {names.Count - 8} more" : "");

    /// <summary>
    /// Checks the header of a safetensors file against its length; throws <see cref="CheckpointException"/> naming what is wrong.
    /// </summary>
    public static void Check(string path)
    {
        using var stream = File.OpenRead(path);
        long length = stream.Length;
        if (length < 8) throw Corrupt(path, $"{length} bytes is too short for a safetensors header");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)Math.Min(MaxHeaderBytes, length - 8))
            throw Corrupt(path, $"header length {headerLength} does not fit the {length}-byte file (limit {MaxHeaderBytes})");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataLength = length - 8 - (long)headerLength;
        JsonDocument doc;
        try { doc = JsonDocument.Parse(header); }
        catch (JsonException e) { throw Corrupt(path, $"header is not JSON: {e.Message}"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Corrupt(path, "header is not a JSON object");
            var spans = new List<(long Begin, long End, string Name)>();
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__") continue;
                var (begin, end) = CheckEntry(path, entry, dataLength);
                spans.Add((begin, end, entry.Name));
            }
            spans.Sort((a, b) => a.Begin.CompareTo(b.Begin));
            for (int i = 1; i < spans.Count; i++)
                if (spans[i].Begin < spans[i - 1].End) throw Corrupt(path, $"tensors '{spans[i - 1].Name}' and '{spans[i].Name}' overlap");
        }
    }

    private static (long Begin, long End) CheckEntry(string path, JsonProperty entry, long dataLength)
    {
        var e = entry.Value;
        string name = entry.Name;
        if (e.ValueKind != JsonValueKind.Object
            || !e.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String
            || !e.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array
            || !e.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array
            || offsets.GetArrayLength() != 2)
            throw Corrupt(path, $"tensor '{name}' lacks dtype, shape or data_offsets");
        if (!ElementSizes.TryGetValue(dtype.GetString()!, out long size))
            throw Corrupt(path, $"tensor '{name}' has unknown dtype '{dtype.GetString()}'");
        long elements = 1;
        foreach (var d in shape.EnumerateArray())
        {
            if (!d.TryGetInt64(out long dim) || dim < 0) throw Corrupt(path, $"tensor '{name}' has an invalid shape");
            if (dim != 0 && elements > dataLength / dim) throw Corrupt(path, $"tensor '{name}' is larger than the file");
            elements *= dim;
        }
        if (!offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end)
            || begin < 0 || end < begin || end > dataLength)
            throw Corrupt(path, $"tensor '{name}' has data offsets outside the file's {dataLength} data bytes (truncated?)");
        if (end - begin != elements * size)
            throw Corrupt(path, $"tensor '{name}' has {end - begin} data bytes for {elements} elements of {dtype.GetString()}");
        return (begin, end);
    }

    private static CheckpointException Corrupt(string path, string what) => new($"{path} is corrupt or truncated: {what}");
}
