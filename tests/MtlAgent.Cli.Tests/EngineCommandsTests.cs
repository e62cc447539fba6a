using System.Text.Json;

namespace MtlAgent.Cli.Tests;

/// <summary><c>mtl doctor</c> and <c>mtl bench train</c> through the real <c>mtl</c>.</summary>
public sealed class EngineCommandsTests
{
    [Fact]
    public void Doctor_FindsEverySymbolTheShimImports_AndTheEngineLoads()
    {
        var root = MtlChildProcess.TempDirectory("mtl-doctor");
        var r = MtlChildProcess.Run(root, ["doctor"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Matches(
            @"symbols\s+all [\d,]+ symbols the shim imports from libtorch are defined by libc10.so, libtorch_cpu.so, libtorch.so",
            r.Stdout);
        Assert.Matches(@"loads\s+yes", r.Stdout);
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void Doctor_RefusesALibTorchFolderOfAnotherVersion()
    {
        var root = MtlChildProcess.TempDirectory("mtl-doctor");
        var lib = Directory.CreateDirectory(Path.Combine(root, "torch", "lib")).FullName;
        File.WriteAllText(Path.Combine(root, "torch", "version.py"), "__version__ = '2.11.0+cu130'\n");
        var r = MtlChildProcess.Run(root, ["doctor"], new Dictionary<string, string> { ["MTL_LIBTORCH_DIR"] = lib });
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("version 2.11.0+cu130", r.Stdout);
        Assert.Contains("NOT 2.10.x", r.Stdout);
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void BenchTrain_WritesFramesPerSecondAndWhereTheTimeGoes()
    {
        var root = MtlChildProcess.TempDirectory("mtl-bench");
        var json = Path.Combine(root, "bench.json");
        var r = MtlChildProcess.Run(root, ["bench", "train", "--seconds", "0.3", "--json", json]);
        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var rows = doc.RootElement.GetProperty("benchmarks").EnumerateArray().ToList();
        Assert.Equal(["train-1-game", "train-5-games"], rows.Select(b => b.GetProperty("name").GetString()));
        Assert.All(rows, b =>
        {
            Assert.Equal("reference", b.GetProperty("settings").GetString());
            Assert.True(b.GetProperty("frames_per_second").GetDouble() > 0);
            Assert.Contains("update", b.GetProperty("time_shares").GetString());
        });
        Assert.Equal(160, rows[1].GetProperty("batch").GetInt32());
        Directory.Delete(root, recursive: true);
    }
}
