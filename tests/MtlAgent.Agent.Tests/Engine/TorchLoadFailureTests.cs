using MtlAgent.Agent.Engine;

namespace MtlAgent.Agent.Tests.Engine;

public class TorchLoadFailureTests
{
    // What TorchSharp 0.107 throws, whatever the cause, when its natives do not load.
    private static Exception TorchSharpFailure() => new TypeInitializationException("TorchSharp.torch", new NotSupportedException(
        "This application or script uses TorchSharp but doesn't contain a reference to libtorch-cpu-linux-x64, Version=2.10.0.0."));

    [Fact]
    public void Other_exceptions_are_not_explained()
    {
        Assert.Null(TorchLoadFailure.Explain(new InvalidOperationException("something else")));
        Assert.Null(TorchLoadFailure.Explain(new TypeInitializationException("X", new DllNotFoundException("nope"))));
    }

    [Fact]
    public void The_failure_is_explained_with_the_loaders_message()
    {
        var notElf = Path.Combine(Path.GetTempPath(), $"libLibTorchSharp-{Guid.NewGuid():N}.so");
        File.WriteAllBytes(notElf, new byte[4096]); // long enough to be read, not an ELF file
        try
        {
            var message = TorchLoadFailure.Explain(TorchSharpFailure(), notElf);
            Assert.NotNull(message);
            Assert.StartsWith($"TorchSharp cannot load {notElf}: {notElf}:", message);
            Assert.Contains("invalid ELF header", message);
        }
        finally { File.Delete(notElf); }
    }

    [Fact]
    public void The_unpatched_package_library_is_explained_as_a_libstdcxx_too_old()
    {
        var home = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var unpatched = Path.Combine(home, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var systemLibstdcxx = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";
        if (!File.Exists(unpatched) || !File.Exists(systemLibstdcxx)) return;
        if (File.ReadAllText(systemLibstdcxx).Contains("GLIBCXX_3.4.32")) return; // GCC 13+: the package loads as shipped

        var message = TorchLoadFailure.Explain(TorchSharpFailure(), unpatched);
        Assert.NotNull(message);
        Assert.Contains("version `GLIBCXX_3.4.32' not found", message);
        Assert.Contains("this system's libstdc++ is older", message);
    }

    [Fact]
    public void A_missing_library_is_explained()
    {
        var message = TorchLoadFailure.Explain(TorchSharpFailure(), library: null);
        Assert.Contains("libLibTorchSharp.so is not in", message);
    }

    [Fact]
    public void The_natives_of_this_application_load() => TorchLoadFailure.EnsureTorchLoaded();
}
