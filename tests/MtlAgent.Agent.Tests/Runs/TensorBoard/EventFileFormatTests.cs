using System.Text;
using MtlAgent.Agent.Runs.TensorBoard;
using MtlAgent.Agent.Runs.TensorBoard.Proto;
using MtlAgent.Agent.Tests.Support;

namespace MtlAgent.Agent.Tests.Runs.TensorBoard;

/// <summary>The bytes of event files against the format's definition, computed here by hand; and the reader's checks.</summary>
public class EventFileFormatTests
{
    /// <summary>CRC-32C bit by bit: the reflected Castagnoli polynomial, all-ones start, final inversion.</summary>
    private static uint ReferenceCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
        }
        return ~crc;
    }

    private static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + 0xa282ead8;

    private static byte[] LittleEndian(ulong value, int bytes) =>
        Enumerable.Range(0, bytes).Select(i => (byte)(value >> (8 * i))).ToArray();

    /// <summary>A TFRecord by the definition: length, masked CRC of the length, data, masked CRC of the data.</summary>
    private static byte[] Record(byte[] data)
    {
        var length = LittleEndian((ulong)data.Length, 8);
        return [.. length, .. LittleEndian(Mask(ReferenceCrc32C(length)), 4), .. data, .. LittleEndian(Mask(ReferenceCrc32C(data)), 4)];
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Crc32C_GivesTheStandardCheckValue_AndAgreesWithTheBitwiseDefinitionAtEveryLength()
    {
        Assert.Equal(0xE3069283u, ReferenceCrc32C(Utf8("123456789")));
        Assert.Equal(0xE3069283u, TfRecord.Crc32C(Utf8("123456789")));
        var bytes = Enumerable.Range(0, 40).Select(i => (byte)(i * 37 + 11)).ToArray();
        for (int n = 0; n <= bytes.Length; n++) Assert.Equal(ReferenceCrc32C(bytes.AsSpan(0, n)), TfRecord.Crc32C(bytes.AsSpan(0, n)));
        Assert.Equal(Mask(0xE3069283u), TfRecord.MaskedCrc32C(Utf8("123456789")));
    }

    [Fact]
    public void AScalarRow_IsWrittenAsTheVersionRecordThenOneEvent_ByteForByteAsTheFormatDefinesThem()
    {
        using var dir = new TempDir();
        var log = new TensorBoardLog(dir.Path, unixSeconds: () => 1.5);
        log.Append("""{"kind":"train","frames_per_game":42,"games":[{"env":"MinAtar/Breakout-v0","return":2.5}]}""");

        // Protobuf by hand: a key byte is (field number << 3) | wire type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32).
        byte[] wallTime = [0x09, .. BitConverter.GetBytes(1.5)];                      // Event.wall_time = 1, double
        byte[] header = [.. wallTime, 0x1A, 13, .. Utf8("brain.Event:2")];           // Event.file_version = 3
        byte[] value = [0x0A, 18, .. Utf8("Breakout-v0/return"), 0x15, .. BitConverter.GetBytes(2.5f)];  // Value.tag = 1, simple_value = 2
        byte[] summary = [0x0A, (byte)value.Length, .. value];                       // Summary.value = 1
        byte[] scalar = [.. wallTime, 0x10, 42, 0x2A, (byte)summary.Length, .. summary];  // Event.step = 2, summary = 5
        Assert.True(BitConverter.IsLittleEndian);
        Assert.Equal(40, scalar.Length);

        var file = Assert.Single(TensorBoardEvents.Files(dir.Path));
        Assert.Equal(log.Path, file);
        Assert.Equal([.. Record(header), .. Record(scalar)], File.ReadAllBytes(file));
        Assert.Matches(@"^events\.out\.tfevents\.1\.[^.]+\.\d+\.\d+$", Path.GetFileName(file));
    }

    [Fact]
    public void EventsReadBack_WithTheGeneratedMessages()
    {
        using var dir = new TempDir();
        var log = new TensorBoardLog(dir.Path, unixSeconds: () => 7.25);
        log.Start(0, checkpoint: null);
        log.Append("""
            {"kind":"train","frames_per_game":10,"updates":3,"worst_score":null,"games":[{"env":"MinAtar/Asterix-v0","loss":0.5}]}
            """);

        var events = TensorBoardEvents.Read(log.Path!);
        Assert.Equal(3, events.Count);
        Assert.Equal(EventFileWriter.FileVersion, events[0].FileVersion);
        Assert.Equal(SessionLog.Types.SessionStatus.Start, events[1].SessionLog.Status);
        Assert.Equal(1, events[1].Step);
        Assert.All(events, e => Assert.Equal(7.25, e.WallTime));
        Assert.Equal([("overall/updates", 10L, 3f), ("Asterix-v0/loss", 10L, 0.5f)],
            TensorBoardEvents.Scalars(events).Select(s => (s.Tag, s.Step, s.Value)));
    }

    [Fact]
    public void TheReader_ChecksBothChecksumsOfEveryRecord_NamingTheFileAndOffset()
    {
        using var dir = new TempDir();
        var log = new TensorBoardLog(dir.Path);
        for (int i = 1; i <= 3; i++) log.Append($$"""{"kind":"train","frames_per_game":{{i}},"updates":{{i}}}""");
        var path = log.Path!;
        var good = File.ReadAllBytes(path);
        var offsets = TfRecord.Scan(good).Records.Select(r => r.Offset).ToArray();
        Assert.Equal(4, offsets.Length);

        void ExpectDefect(byte[] bytes, string problem, long offset)
        {
            File.WriteAllBytes(path, bytes);
            var e = Assert.Throws<InvalidDataException>(() => TensorBoardEvents.Read(path, tolerateTornTail: true));
            Assert.Equal($"event file '{path}': {problem} at offset {offset}", e.Message);
        }
        var data = (byte[])good.Clone();
        data[offsets[2] + 20] ^= 1;                                                  // inside the third record's data
        ExpectDefect(data, "bad checksum of the record's data", offsets[2]);
        var length = (byte[])good.Clone();
        length[offsets[1]] ^= 1;                                                     // the second record's length
        ExpectDefect(length, "bad checksum of the record's length", offsets[1]);

        // A torn last record is refused by a strict read and left out by a tolerant one.
        File.WriteAllBytes(path, good[..^5]);
        var torn = Assert.Throws<InvalidDataException>(() => TensorBoardEvents.Read(path));
        Assert.Contains("torn record", torn.Message);
        Assert.EndsWith($"at offset {offsets[3]}", torn.Message);
        Assert.Equal([1L, 2], TensorBoardEvents.Scalars(TensorBoardEvents.Read(path, tolerateTornTail: true)).Select(s => s.Step));
    }
}
