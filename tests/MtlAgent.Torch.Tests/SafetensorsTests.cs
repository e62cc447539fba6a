using System.Buffers.Binary;
using System.Text;
using MtlAgent.Torch.Safetensors;
using static MtlAgent.Torch.torch;

namespace MtlAgent.Torch.Tests;

/// <summary>safetensors round trips and the rejection of malformed or hostile files.</summary>
public sealed class SafetensorsTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("mtl-safetensors-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    string PathOf(string name) => Path.Combine(dir, name);

    [Fact]
    public void Every_dtype_round_trips_with_metadata()
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["f32"] = tensor(new float[] { 1.5f, -2, float.MaxValue, 0 }, [2, 2]),
            ["f64"] = tensor(new double[] { Math.PI, -1e300 }),
            ["i64"] = tensor(new long[] { long.MinValue, 7, long.MaxValue }),
            ["i32"] = tensor(new int[] { -5, 6 }, [2, 1]),
            ["u8"] = tensor(new byte[] { 0, 255, 17 }),
            ["bool"] = tensor(new bool[] { true, false, true }),
            ["scalar"] = tensor(3.25f),
            ["empty"] = zeros([0, 4]),
            ["f16"] = tensor(new float[] { 0.5f, 2 }, dtype: float16),
            ["i16"] = tensor(new int[] { -3, 300 }, dtype: int16),
            ["i8"] = tensor(new int[] { -3, 100 }, dtype: int8),
        };
        var meta = new Dictionary<string, string> { ["format"] = "pt", ["step"] = "1000", ["note"] = "ünïcode \"quoted\"" };
        var path = PathOf("all.safetensors");
        SafetensorsFile.Save(path, tensors, meta);

        var bytes = File.ReadAllBytes(path);
        var headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + headerLength) % 8); // data aligned to 8 bytes

        using var loaded = SafetensorsFile.Load(path);
        Assert.Equal(meta, loaded.Metadata);
        Assert.Equal(tensors.Keys.Order(), loaded.Tensors.Keys.Order());
        foreach (var (name, t) in tensors)
        {
            var l = loaded.Tensors[name];
            Assert.Equal(t.dtype, l.dtype);
            Assert.Equal(t.shape, l.shape);
            var a = new byte[t.numel() * t.element_size()];
            var b = new byte[a.Length];
            t.copy_to_bytes(a);
            l.copy_to_bytes(b);
            Assert.Equal(a, b);
        }
        Assert.Empty(Directory.GetFiles(dir, "*.tmp-*")); // the temporary file was renamed
    }

    [Fact]
    public void Header_is_readable_json_with_offsets()
    {
        using var t = tensor(new float[] { 1, 2, 3 });
        var path = PathOf("one.safetensors");
        SafetensorsFile.Save(path, [new("w", t)]);
        var bytes = File.ReadAllBytes(path);
        var n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var json = Encoding.UTF8.GetString(bytes, 8, n).TrimEnd();
        Assert.Equal("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}", json);
        Assert.Equal(8 + n + 12, bytes.Length);
        Assert.Equal(1f, BitConverter.ToSingle(bytes, 8 + n));
    }

    [Fact]
    public void Module_state_dict_round_trips()
    {
        manual_seed(1);
        using var a = nn.Sequential(nn.Conv2d(10, 16, 3), nn.ReLU(), nn.Flatten(), nn.Linear(1024, 6));
        manual_seed(2);
        using var b = nn.Sequential(nn.Conv2d(10, 16, 3), nn.ReLU(), nn.Flatten(), nn.Linear(1024, 6));
        var path = PathOf("model.safetensors");
        SafetensorsFile.Save(path, a.state_dict());
        using (var loaded = SafetensorsFile.Load(path))
            b.load_state_dict(loaded.Tensors);
        using var scope = NewDisposeScope();
        var x = rand(4, 10, 10, 10);
        Assert.Equal(a.forward(x).data<float>().ToArray(), b.forward(x).data<float>().ToArray());
    }

    [Fact]
    public void Saving_replaces_an_existing_file()
    {
        var path = PathOf("x.safetensors");
        using var one = ones(2);
        using var two = zeros(5);
        SafetensorsFile.Save(path, [new("t", one)]);
        SafetensorsFile.Save(path, [new("t", two)]);
        using var loaded = SafetensorsFile.Load(path);
        Assert.Equal([5L], loaded.Tensors["t"].shape);
    }

    [Fact]
    public void Reserved_and_duplicate_names_are_rejected_when_saving()
    {
        using var t = ones(1);
        Assert.Throws<SafetensorsException>(() => SafetensorsFile.Save(PathOf("a"), [new("__metadata__", t)]));
        Assert.Throws<SafetensorsException>(() => SafetensorsFile.Save(PathOf("b"), [new("x", t), new("x", t)]));
    }

    /// <summary>Writes a file with the given header text (padded) and data bytes; headerLength overrides the length field.</summary>
    string Write(string header, int dataBytes, ulong? headerLength = null)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var path = PathOf(Guid.NewGuid().ToString("N"));
        using var fs = File.Create(path);
        var len = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, headerLength ?? (ulong)h.Length);
        fs.Write(len);
        fs.Write(h);
        fs.Write(new byte[dataBytes]);
        return path;
    }

    void Rejected(string path, string expected)
    {
        var before = LiveCount.Settled();
        var e = Assert.Throws<SafetensorsException>(() => SafetensorsFile.Load(path));
        Assert.Contains(expected, e.Message);
        Assert.Equal(before, LiveCount.Settled());
    }

    [Fact]
    public void Header_length_past_the_end_of_file_is_rejected() =>
        Rejected(Write("{}", 0, headerLength: 1000), "past the end");

    [Fact]
    public void Huge_header_length_is_rejected_without_allocating() =>
        Rejected(Write("{}", 0, headerLength: 1UL << 40), "exceeds");

    [Fact]
    public void Short_file_is_rejected()
    {
        var path = PathOf("short");
        File.WriteAllBytes(path, [1, 2, 3]);
        Rejected(path, "too short");
    }

    [Fact]
    public void Bad_json_is_rejected() =>
        Rejected(Write("{\"a\": {\"dtype\": \"F32\", ", 0), "not valid JSON");

    [Fact]
    public void Non_object_header_is_rejected() => Rejected(Write("[1, 2]", 0), "JSON object");

    [Fact]
    public void Overlapping_offsets_are_rejected() =>
        Rejected(Write("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "overlap");

    [Fact]
    public void Out_of_range_offsets_are_rejected() =>
        Rejected(Write("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8), "run past");

    [Fact]
    public void Holes_in_the_data_are_rejected() =>
        Rejected(Write("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "belong to no tensor");

    [Fact]
    public void Trailing_data_is_rejected() =>
        Rejected(Write("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8), "cover 4");

    [Fact]
    public void Unknown_dtype_is_rejected() =>
        Rejected(Write("{\"a\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8), "unknown dtype 'C64'");

    [Fact]
    public void Shape_size_mismatch_is_rejected() =>
        Rejected(Write("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), "needs 12 bytes");

    [Fact]
    public void Negative_dimensions_are_rejected() =>
        Rejected(Write("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2,-1],\"data_offsets\":[0,8]}}", 8), "negative dimension");

    [Fact]
    public void Overflowing_shapes_are_rejected() =>
        Rejected(Write("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", 8), "too large");

    [Fact]
    public void Duplicate_names_are_rejected() =>
        Rejected(Write("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}", 2), "duplicate");

    [Fact]
    public void Non_string_metadata_is_rejected() =>
        Rejected(Write("{\"__metadata__\":{\"k\":1}}", 0), "must be a string");

    [Fact]
    public void Missing_fields_are_rejected() =>
        Rejected(Write("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4), "no array 'shape'");

    [Fact]
    public void Non_integer_dimensions_are_rejected() =>
        Rejected(Write("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4), "integers");

    [Fact]
    public void Deeply_nested_json_is_rejected() =>
        Rejected(Write(new string('[', 5000) + new string(']', 5000), 0), "not valid JSON");
}
