namespace MtlAgent.Torch.Safetensors;

/// <summary>The safetensors dtype names of the supported element types.</summary>
internal static class SafetensorsDType
{
    static readonly (string name, ScalarType type)[] Table =
    [
        ("F64", ScalarType.Float64), ("F32", ScalarType.Float32), ("F16", ScalarType.Float16), ("BF16", ScalarType.BFloat16),
        ("I64", ScalarType.Int64), ("I32", ScalarType.Int32), ("I16", ScalarType.Int16), ("I8", ScalarType.Int8),
        ("U8", ScalarType.Byte), ("BOOL", ScalarType.Bool),
    ];

    internal static string NameOf(ScalarType type) =>
        Table.FirstOrDefault(e => e.type == type).name ?? throw new SafetensorsException($"dtype {type} cannot be saved to safetensors");

    internal static ScalarType Parse(string name, string tensor)
    {
        foreach (var (n, t) in Table)
            if (n == name) return t;
        throw new SafetensorsException($"tensor '{tensor}' has unknown dtype '{name}'; supported: {string.Join(", ", Table.Select(e => e.name))}");
    }
}
