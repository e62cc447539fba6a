using MtlAgent.Agent.Engine;
using TorchSharp;

namespace MtlAgent.Agent.Tests.Engine;

public sealed class LibTorchFolderTests : IDisposable
{
    // A fake pip layout: <root>/torch/version.py and <root>/torch/lib/.
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"libtorch-{Guid.NewGuid():N}");
    private string Lib => Path.Combine(_root, "torch", "lib");

    public LibTorchFolderTests() => Directory.CreateDirectory(Lib);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void WriteVersionPy(string version) =>
        File.WriteAllText(Path.Combine(_root, "torch", "version.py"),
            $"from typing import Optional\n\n__all__ = ['__version__', 'debug', 'cuda', 'git_version', 'hip']\n__version__ = '" +
            $"{version}'\ndebug = False\ncuda: Optional[str] = '13.0'\n");

    private void WriteFakeLibraries(params string[] names)
    {
        foreach (var name in names) File.WriteAllText(Path.Combine(Lib, $"lib{name}.so"), "not a library");
    }

    [Fact]
    public void Another_version_is_accepted_only_when_MTL_LIBTORCH_ACCEPT_VERSION_names_it()
    {
        var before = Environment.GetEnvironmentVariable(LibTorchFolder.AcceptVersionVariable);
        try
        {
            Environment.SetEnvironmentVariable(LibTorchFolder.AcceptVersionVariable, null);
            Assert.False(LibTorchFolder.Accepted("2.11.0+cu130"));
            Environment.SetEnvironmentVariable(LibTorchFolder.AcceptVersionVariable, "2.11");
            Assert.True(LibTorchFolder.Accepted("2.11.0+cu130"));
            Assert.True(LibTorchFolder.Accepted("2.11"));
            Assert.False(LibTorchFolder.Accepted("2.1.0"));
            Assert.False(LibTorchFolder.Accepted("2.12.0"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(LibTorchFolder.AcceptVersionVariable, before);
        }
    }

    [Fact]
    public void A_folder_of_another_libtorch_version_is_refused_before_loading_anything()
    {
        WriteVersionPy("2.11.0+cu130");
        WriteFakeLibraries("c10", "torch_cpu", "torch_cuda", "torch");
        var e = Assert.Throws<InvalidOperationException>(() => LibTorchFolder.Load(Lib));
        Assert.Contains($"libtorch folder '{Lib}' (MTL_LIBTORCH_DIR) has libtorch 2.11.0+cu130", e.Message);
        Assert.Contains(Path.Combine(_root, "torch", "version.py"), e.Message);
        Assert.Contains("was built for libtorch 2.10.x (its torch.__version__ is 2.10.0.0)", e.Message);
    }

    [Fact]
    public void A_missing_folder_is_refused()
    {
        var missing = Path.Combine(_root, "nowhere", "lib");
        var e = Assert.Throws<DirectoryNotFoundException>(() => LibTorchFolder.Load(missing));
        Assert.Equal($"libtorch folder '{missing}' (MTL_LIBTORCH_DIR) does not exist", e.Message);
    }

    [Fact]
    public void A_folder_without_a_version_file_is_refused()
    {
        WriteFakeLibraries("c10", "torch_cpu", "torch");
        var e = Assert.Throws<FileNotFoundException>(() => LibTorchFolder.Load(Lib));
        Assert.Contains("cannot tell the libtorch version", e.Message);
        Assert.Contains("version.py", e.Message);
        Assert.Contains("build-version", e.Message);
    }

    [Fact]
    public void A_folder_missing_a_library_is_refused()
    {
        WriteVersionPy("2.10.0+cu128");
        WriteFakeLibraries("c10", "torch");
        var e = Assert.Throws<FileNotFoundException>(() => LibTorchFolder.Load(Lib));
        Assert.Equal($"libtorch folder '{Lib}' (MTL_LIBTORCH_DIR) has no libtorch_cpu.so", e.Message);
    }

    [Fact]
    public void A_right_folder_is_refused_when_the_application_has_its_own_libtorch()
    {
        WriteVersionPy("2.10.0+cu128");
        WriteFakeLibraries("c10", "torch_cpu", "torch"); // never opened: the checks come first
        var e = Assert.Throws<InvalidOperationException>(() => LibTorchFolder.Load(Lib)); // this test's folder has the package's libtorch
        Assert.Contains($"the application has its own libtorch ({Path.Combine(AppContext.BaseDirectory, "libtorch_cpu.so")})", e.Message);
        Assert.Contains("Build with -p:TorchBackend=none", e.Message);
    }

    [Fact]
    public void A_right_folder_is_refused_once_torch_has_loaded_a_libtorch()
    {
        torch.InitializeDeviceType(DeviceType.CPU); // this test process uses the package's libtorch
        WriteVersionPy("2.10.0+cu128");
        WriteFakeLibraries("c10", "torch_cpu", "torch");
        var application = Path.Combine(_root, "app");
        Directory.CreateDirectory(application);
        var e = Assert.Throws<InvalidOperationException>(() => LibTorchFolder.Load(Lib, application));
        Assert.Contains($"libtorch is already loaded from '{Path.Combine(AppContext.BaseDirectory, "libtorch_cpu.so")}'", e.Message);
        Assert.Contains("load it before the first use of torch", e.Message);
    }

    [Fact]
    public void Versions_are_read_from_a_pip_or_a_zip_layout()
    {
        WriteVersionPy("2.10.0+cu128");
        Assert.Equal(("2.10.0+cu128", Path.Combine(_root, "torch", "version.py")), LibTorchFolder.ReadVersion(Lib));

        var zip = Path.Combine(_root, "libtorch");
        Directory.CreateDirectory(Path.Combine(zip, "lib"));
        File.WriteAllText(Path.Combine(zip, "build-version"), "2.10.0+cpu\n");
        Assert.Equal(("2.10.0+cpu", Path.Combine(zip, "build-version")), LibTorchFolder.ReadVersion(Path.Combine(zip, "lib")));
    }

    [Theory]
    [InlineData("2.10.0", true)]
    [InlineData("2.10.1+cu128", true)]
    [InlineData("2.10", true)]
    [InlineData("2.10+cpu", true)]
    [InlineData("2.1.0", false)]
    [InlineData("2.100.0", false)]
    [InlineData("2.11.0+cu130", false)]
    [InlineData("1.13.1", false)]
    public void Only_libtorch_2_10_is_accepted(string version, bool accepted) =>
        Assert.Equal(accepted, LibTorchFolder.IsRequiredVersion(version));

    [Fact]
    public void The_required_version_is_torchsharps()
    {
        Assert.StartsWith(LibTorchFolder.RequiredVersion + ".", torch.__version__);
        Assert.True(LibTorchFolder.IsRequiredVersion(torch.__version__));
    }
}
