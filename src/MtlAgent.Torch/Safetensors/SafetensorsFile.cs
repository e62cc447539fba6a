using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace MtlAgent.Torch.Safetensors;

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
/// (name -> dtype, shape, data_offsets; optional "__metadata__" string map) padded with spaces to a
/// multiple of 8 bytes, then the raw little-endian tensor data.
/// </summary>
public static class SafetensorsFile
{
    /// <summary>Largest header accepted when loading (a hostile length must not allocate unbounded memory).</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    const string MetadataKey = "__metadata__";

    /// <summary>
    /// Writes <paramref name="tensors"/> (any device; CUDA tensors go through the host) and the string
    /// <paramref name="metadata"/> to <paramref name="path"/>, via a temporary file renamed into place.
    /// </summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors writing needs a little-endian machine");
        var entries = tensors.ToList();
        var names = new HashSet<string>();
        foreach (var (name, _) in entries)
        {
            if (name == MetadataKey) throw new SafetensorsException($"'{MetadataKey}' is reserved and cannot name a tensor");
            if (!names.Add(name)) throw new SafetensorsException($"duplicate tensor name '{name}'");
        }

        var sizes = entries.Select(e => e.Value.numel() * e.Value.element_size()).ToArray();
        var header = Header(entries, sizes, metadata);
        var full = Path.GetFullPath(path);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Span<byte> len = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
                fs.Write(len);
                fs.Write(header);
                for (var i = 0; i < entries.Count; i++)
                {
                    if (sizes[i] == 0) continue;
                    var buffer = new byte[checked((int)sizes[i])];
                    entries[i].Value.copy_to_bytes(buffer);
                    fs.Write(buffer);
                }
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
    }

    static byte[] Header(List<KeyValuePair<string, Tensor>> entries, long[] sizes, IReadOnlyDictionary<string, string>? metadata)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject(MetadataKey);
                foreach (var (k, v) in metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            for (var i = 0; i < entries.Count; i++)
            {
                var (name, t) = entries[i];
                w.WriteStartObject(name);
                w.WriteString("dtype", SafetensorsDType.NameOf(t.dtype));
                w.WriteStartArray("shape");
                foreach (var d in t.shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + sizes[i]);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += sizes[i];
            }
            w.WriteEndObject();
        }
        var json = ms.ToArray();
        var padded = (json.Length + 7) / 8 * 8;
        var header = new byte[padded];
        json.CopyTo(header, 0);
        header.AsSpan(json.Length).Fill((byte)' ');
        return header;
    }

    /// <summary>
    /// Loads every tensor (onto <paramref name="device"/>, default CPU) and the metadata. Rejects malformed
    /// files with <see cref="SafetensorsException"/>; memory use is bounded by the file's size.
    /// </summary>
    public static SafetensorsContent Load(string path, Device? device = null)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var fileLength = fs.Length;
        if (fileLength < 8) throw new SafetensorsException($"'{path}' is {fileLength} bytes: too short for a safetensors header");
        Span<byte> len = stackalloc byte[8];
        fs.ReadExactly(len);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(len);
        if (headerLength > (ulong)MaxHeaderBytes)
            throw new SafetensorsException($"'{path}': header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit");
        if ((long)headerLength > fileLength - 8)
            throw new SafetensorsException($"'{path}': header length {headerLength} runs past the end of the {fileLength}-byte file");
        var header = new byte[headerLength];
        fs.ReadExactly(header);
        var dataStart = 8 + (long)headerLength;
        var dataLength = fileLength - dataStart;

        var (specs, metadata) = ParseHeader(header, dataLength, path);
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            foreach (var s in specs)
            {
                var size = s.End - s.Begin;
                var t = torch.empty(s.Shape, s.DType).DetachFromDisposeScope();
                tensors[s.Name] = t;
                if (size == 0) continue;
                var buffer = new byte[checked((int)size)];
                fs.Position = dataStart + s.Begin;
                fs.ReadExactly(buffer);
                t.copy_from_bytes(buffer);
            }
            if (device is not null && device.type != DeviceType.CPU)
                foreach (var name in tensors.Keys.ToList())
                {
                    var cpu = tensors[name];
                    tensors[name] = cpu.to(device).DetachFromDisposeScope();
                    cpu.Dispose();
                }
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        // Tensors join the caller's dispose scope, if any, like any other new tensor.
        var scope = DisposeScope.Current;
        if (scope is not null) foreach (var t in tensors.Values) scope.Add(t);
        return new SafetensorsContent(tensors, metadata);
    }

    sealed record Spec(string Name, ScalarType DType, long[] Shape, long Begin, long End);

    static (List<Spec>, Dictionary<string, string>) ParseHeader(byte[] header, long dataLength, string path)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(header.AsMemory().TrimEnd((byte)' '), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new SafetensorsException($"'{path}': header is not valid JSON: {e.Message}", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new SafetensorsException($"'{path}': header must be a JSON object, found {doc.RootElement.ValueKind}");
            var specs = new List<Spec>();
            var metadata = new Dictionary<string, string>();
            var seen = new HashSet<string>();
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(p.Name)) throw new SafetensorsException($"'{path}': duplicate entry '{p.Name}' in the header");
                if (p.Name == MetadataKey)
                {
                    if (p.Value.ValueKind != JsonValueKind.Object)
                        throw new SafetensorsException($"'{path}': {MetadataKey} must be an object of strings");
                    foreach (var m in p.Value.EnumerateObject())
                    {
                        if (m.Value.ValueKind != JsonValueKind.String)
                            throw new SafetensorsException($"'{path}': metadata '{m.Name}' must be a string, found {m.Value.ValueKind}");
                        if (!metadata.TryAdd(m.Name, m.Value.GetString()!))
                            throw new SafetensorsException($"'{path}': duplicate metadata key '{m.Name}'");
                    }
                    continue;
                }
                specs.Add(ParseTensor(p.Name, p.Value, path));
            }
            CheckLayout(specs, dataLength, path);
            return (specs, metadata);
        }
    }

    static Spec ParseTensor(string name, JsonElement e, string path)
    {
        string Where() => $"'{path}': tensor '{name}'";
        if (e.ValueKind != JsonValueKind.Object) throw new SafetensorsException($"{Where()} must be an object");
        if (!e.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String)
            throw new SafetensorsException($"{Where()} has no string 'dtype'");
        var dtype = SafetensorsDType.Parse(dt.GetString()!, name);
        var shape = Integers(e, "shape", Where());
        var offsets = Integers(e, "data_offsets", Where());
        if (offsets.Length != 2) throw new SafetensorsException($"{Where()}: data_offsets needs 2 values, has {offsets.Length}");
        long numel = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new SafetensorsException($"{Where()} has a negative dimension in shape [{string.Join(", ", shape)}]");
            try { numel = checked(numel * d); }
            catch (OverflowException) { throw new SafetensorsException($"{Where()}: shape [{string.Join(", ", shape)}] is too large"); }
        }
        var (begin, end) = (offsets[0], offsets[1]);
        if (begin < 0 || end < begin)
            throw new SafetensorsException($"{Where()} has invalid data_offsets [{begin}, {end}]");
        long bytes;
        try { bytes = checked(numel * ScalarTypes.ElementSize(dtype)); }
        catch (OverflowException) { throw new SafetensorsException($"{Where()}: shape [{string.Join(", ", shape)}] is too large"); }
        if (end - begin != bytes)
            throw new SafetensorsException($"{Where()}: shape [{string.Join(", ", shape)}] of {dtype} needs {bytes} bytes but data_offsets [{begin}, {end}] span {end - begin}");
        return new Spec(name, dtype, shape, begin, end);
    }

    static long[] Integers(JsonElement e, string field, string where)
    {
        if (!e.TryGetProperty(field, out var a) || a.ValueKind != JsonValueKind.Array)
            throw new SafetensorsException($"{where} has no array '{field}'");
        if (a.GetArrayLength() > 64) throw new SafetensorsException($"{where}: '{field}' has {a.GetArrayLength()} entries (at most 64)");
        var r = new long[a.GetArrayLength()];
        var i = 0;
        foreach (var v in a.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out r[i++]))
                throw new SafetensorsException($"{where}: '{field}' must hold integers, found {v}");
        }
        return r;
    }

    // As the reference implementation: the tensors tile the data section exactly, no overlap, no hole.
    static void CheckLayout(List<Spec> specs, long dataLength, string path)
    {
        long expected = 0;
        foreach (var s in specs.OrderBy(s => s.Begin).ThenBy(s => s.End))
        {
            if (s.End > dataLength)
                throw new SafetensorsException($"'{path}': tensor '{s.Name}' data_offsets [{s.Begin}, {s.End}] run past the {dataLength}-byte data section");
            if (s.Begin < expected)
                throw new SafetensorsException($"'{path}': tensor '{s.Name}' data_offsets [{s.Begin}, {s.End}] overlap another tensor");
            if (s.Begin > expected)
                throw new SafetensorsException($"'{path}': bytes [{expected}, {s.Begin}) of the data section belong to no tensor");
            expected = s.End;
        }
        if (expected != dataLength)
            throw new SafetensorsException($"'{path}': the data section has {dataLength} bytes but the tensors cover {expected}");
    }
}

/// <summary>Tensors and metadata loaded from a safetensors file; disposing it disposes the tensors.</summary>
public sealed record SafetensorsContent(Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) : IDisposable
{
    public void Dispose()
    {
        foreach (var t in Tensors.Values) t.Dispose();
    }
}
