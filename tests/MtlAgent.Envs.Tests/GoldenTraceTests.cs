using Xunit.Abstractions;

namespace MtlAgent.Envs.Tests;

/// <summary>Bit-exact replay of the upstream traces (spec 10.2), bundled and from MINATAR_GOLDEN_DIR.</summary>
public sealed class GoldenTraceTests(ITestOutputHelper output)
{
    private static string BundledDir => Path.Combine(AppContext.BaseDirectory, "golden");

    [Theory]
    [InlineData("breakout__random.jsonl")]
    [InlineData("asterix__random.jsonl")]
    [InlineData("freeway__random.jsonl")]
    [InlineData("seaquest__random.jsonl")]
    [InlineData("space_invaders__random.jsonl")]
    public void BundledTraceReplaysExactly(string file)
    {
        int steps = GoldenTrace.Replay(Path.Combine(BundledDir, file));
        output.WriteLine($"replayed 1 trace, {steps} steps: {file}");
        Assert.True(steps > 0);
    }

    [Fact]
    public void ExtraTracesFromEnvironmentVariableReplayExactly()
    {
        string? dir = Environment.GetEnvironmentVariable("MINATAR_GOLDEN_DIR");
        if (string.IsNullOrEmpty(dir))
        {
            output.WriteLine("MINATAR_GOLDEN_DIR not set; no extra traces replayed");
            return;
        }
        string[] files = Directory.Exists(dir) ? Directory.GetFiles(dir, "*.jsonl").OrderBy(f => f, StringComparer.Ordinal).ToArray() : [];
        Assert.True(files.Length > 0, $"MINATAR_GOLDEN_DIR={dir} holds no *.jsonl trace");
        long steps = 0;
        foreach (string f in files)
        {
            int n = GoldenTrace.Replay(f);
            output.WriteLine($"{Path.GetFileName(f)}: {n} steps");
            steps += n;
        }
        output.WriteLine($"replayed {files.Length} traces, {steps} steps from {dir}");
    }
}
