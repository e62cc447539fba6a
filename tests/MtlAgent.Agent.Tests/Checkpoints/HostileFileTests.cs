using System.Buffers.Binary;
using System.Text;
using MtlAgent.Agent.Checkpoints;
using MtlAgent.Agent.Tests.Support;
using MtlAgent.Agent.Training;

namespace MtlAgent.Agent.Tests.Checkpoints;

/// <summary>Truncated, corrupt and hostile checkpoint files are clear errors, with memory bounded by the file's size.</summary>
public class HostileFileTests
{
    private const long MemoryBound = 64L << 20;

    private static CheckpointException Refused(Action load)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<CheckpointException>(load);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < MemoryBound, $"refusing the file allocated {allocated:N0} bytes");
        return e;
    }

    private static string Safetensors(TempDir dir, string header, int dataBytes = 16)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        var path = Path.Combine(dir.Path, $"{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void SafetensorsHeadersThatDoNotFitTheFileAreRefusedBeforeAllocating()
    {
        using var dir = new TempDir();
        var huge = Path.Combine(dir.Path, "huge-header.safetensors");
        var bytes = new byte[64];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1UL << 40);
        File.WriteAllBytes(huge, bytes);
        Assert.Contains("header length", Refused(() => TensorFile.Read(huge)).Message);

        Assert.Contains("larger than the file", Refused(() => TensorFile.Read(Safetensors(dir,
            """{"w":{"dtype":"F32","shape":[1000000,1000000],"data_offsets":[0,16]}}"""))).Message);
        Assert.Contains("outside the file", Refused(() => TensorFile.Read(Safetensors(dir,
            """{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,4000000000000]}}"""))).Message);
        Assert.Contains("data bytes for", Refused(() => TensorFile.Read(Safetensors(dir,
            """{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}}"""))).Message);
        Assert.Contains("overlap", Refused(() => TensorFile.Read(Safetensors(dir,
            """{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"""))).Message);
        Assert.Contains("unknown dtype", Refused(() => TensorFile.Read(Safetensors(dir,
            """{"w":{"dtype":"Q4","shape":[4],"data_offsets":[0,16]}}"""))).Message);
        Assert.Contains("not JSON", Refused(() => TensorFile.Read(Safetensors(dir, "{\"w\":"))).Message);

        var ok = TensorFile.Read(Safetensors(dir,
            """{"__metadata__":{"k":"v"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}"""));
        Assert.Equal([2L, 2], ok["w"].shape);
    }

    /// <summary>
    /// A small real checkpoint whose files a test may replace (the manifest is rewritten to match, as a hostile source would).
    /// </summary>
    private static string Checkpoint(TempDir dir)
    {
        var config = Configs.Tiny();
        var path = dir.Sub("step-70");
        using var t = new Trainer(config);
        for (int i = 0; i < 70; i++) t.Step();
        TrainerCheckpoint.Save(t, path, wallSeconds: 0);
        return path;
    }

    /// <summary>A copy of <paramref name="checkpoint"/> with file <paramref name="name"/> replaced.</summary>
    private static string Replace(string checkpoint, string name, byte[] contents)
    {
        var copy = Path.Combine(Path.GetDirectoryName(checkpoint)!, $"hostile-{Guid.NewGuid():N}");
        Directory.CreateDirectory(copy);
        foreach (var f in Directory.GetFiles(checkpoint)) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        checkpoint = copy;
        File.WriteAllBytes(Path.Combine(checkpoint, name), contents);
        var manifest = CheckpointManifest.Read(checkpoint);
        File.Delete(Path.Combine(checkpoint, CheckpointFormat.Manifest));
        CheckpointManifest.Write(checkpoint, manifest.FramesPerGame, manifest.Updates, manifest.Games, manifest.Files.Keys.ToList());
        return checkpoint;
    }

    [Fact]
    public void MessagePackPayloadsDeclaringHugeLengthsAreRefusedWithBoundedMemory()
    {
        using var dir = new TempDir();
        var checkpoint = Checkpoint(dir);
        var config = Configs.Tiny();

        // An array of 2^31 - 1 elements in 5 bytes (array32 header).
        var hugeArray = Replace(checkpoint, CheckpointFormat.Trainer, [0xdd, 0x7f, 0xff, 0xff, 0xff, 0x01]);
        Assert.Contains("trainer.msgpack is corrupt", Refused(() => TrainerCheckpoint.Load(hugeArray, config)).Message);

        // A bin32 of 2^31 - 1 bytes where the state's first array is expected.
        var hugeBin = Replace(checkpoint, CheckpointFormat.Trainer, [0x9a, 0x02, 0x01, 0x01, 0x01, 0xc6, 0x7f, 0xff, 0xff, 0xff, 0x00]);
        Assert.Contains("trainer.msgpack is corrupt", Refused(() => TrainerCheckpoint.Load(hugeBin, config)).Message);

        // LZ4 block array whose block claims 2^31 - 1 uncompressed bytes: [ext 98 { int32 length }, bin { data }].
        var hugeBlock = Replace(checkpoint, CheckpointFormat.Replay(0),
            [0x92, 0xd7, 0x62, 0xd2, 0x7f, 0xff, 0xff, 0xff, 0x00, 0x00, 0xc4, 0x04, 0x10, 0x00, 0x00, 0x00]);
        Assert.Contains("replay-0.msgpack is corrupt", Refused(() => TrainerCheckpoint.Load(hugeBlock, config)).Message);

        // nil, and a state whose arrays are absent (MessagePack leaves them null).
        var nil = Replace(checkpoint, CheckpointFormat.Trainer,
            MessagePack.MessagePackSerializer.Serialize<object?>(value: null, options: CheckpointFormat.MessagePack));
        Assert.Contains("holds nil", Refused(() => TrainerCheckpoint.Load(nil, config)).Message);
        var hollow = Replace(checkpoint, CheckpointFormat.Trainer, MessagePack.MessagePackSerializer.Serialize(
            new MtlAgent.Agent.Checkpoints.Contracts.TrainerStateContract
            {
                Schema = 2, ActingRng = null!, ReplayRng = null!, EnvStates = null!, EpisodeReturns = null!, Monitor = null!,
            },
            CheckpointFormat.MessagePack));
        Assert.Contains("member is missing", Refused(() => TrainerCheckpoint.Load(hollow, config)).Message);

        // A file larger than the checkpoint's shape can hold is not decoded at all.
        var oversized = Replace(checkpoint, CheckpointFormat.Replay(1), new byte[2 << 20]);
        Assert.Contains("more than this checkpoint's shape can hold", Refused(() => TrainerCheckpoint.Load(oversized, config)).Message);

        // Random bytes.
        var random = new byte[4096];
        new Random(5).NextBytes(random);
        var randomBytes = Replace(checkpoint, CheckpointFormat.Replay(0), random);
        Assert.Contains("replay-0.msgpack is corrupt", Refused(() => TrainerCheckpoint.Load(randomBytes, config)).Message);
    }
}
