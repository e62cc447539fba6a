using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using TorchSharp;

namespace MtlAgent.Agent.Engine;

/// <summary>
/// Runs TorchSharp on the libtorch of another folder, such as a pip PyTorch's <c>torch/lib</c> (for CUDA, which this
/// project's package source does not serve): the folder named by <c>MTL_LIBTORCH_DIR</c>. Its libraries are loaded by
/// absolute path before TorchSharp's first use; TorchSharp then finds them already loaded (by their sonames) and uses
/// them. Build with <c>TorchBackend=none</c> so the application folder has no libtorch of its own.
/// </summary>
/// <remarks>
/// The folder's libtorch must be <see cref="RequiredVersion"/>.x with the C++11 ABI (pip wheels have it): TorchSharp
/// 0.107's LibTorchSharp imports about 1,200 C++ symbols of libtorch 2.10, so another version fails at load time or,
/// worse, later. The version is read from the folder's layout before anything is loaded.
/// </remarks>
public static partial class LibTorchFolder
{
    /// <summary>The environment variable naming the folder.</summary>
    public const string EnvironmentVariable = "MTL_LIBTORCH_DIR";

    /// <summary>
    /// Accepts a folder of another libtorch major.minor (e.g. <c>2.11</c>) anyway: only after <c>mtl doctor</c> has shown
    /// that it defines every symbol TorchSharp's shim imports, and at the user's risk (a changed class layout behind an
    /// unchanged symbol is not visible from symbols).
    /// </summary>
    public const string AcceptVersionVariable = "MTL_LIBTORCH_ACCEPT_VERSION";

    /// <summary>
    /// The libtorch major.minor TorchSharp 0.107 was built for. Its <c>torch.__version__</c> ("2.10.0.0") says the same,
    /// but reading it would run TorchSharp's static constructor, which loads the default libtorch: a test keeps the two equal.
    /// </summary>
    public const string RequiredVersion = "2.10";

    // In load order: each one's dependencies come before it. libtorch_cuda is loaded only when present.
    private static readonly string[] Libraries = ["c10", "torch_cpu", "torch_cuda", "torch"];
    private static readonly object Gate = new();
    private static string? s_loaded;

    /// <summary>
    /// Loads the libtorch of the folder named by <c>MTL_LIBTORCH_DIR</c> and returns its full path; returns null, doing
    /// nothing, when the variable is unset or empty. Call it before anything touches <c>torch</c>.
    /// </summary>
    public static string? LoadFromEnvironment()
    {
        var folder = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(folder)) return null;
        return Load(folder);
    }

    /// <summary>
    /// Checks <paramref name="folder"/> (it exists, its libtorch is <see cref="RequiredVersion"/>.x, it has
    /// <c>libc10</c>, <c>libtorch_cpu</c> and <c>libtorch</c>) and loads its libraries by absolute path; returns the
    /// folder's full path. Loading the same folder again does nothing.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">It lacks a library, or a file telling its version.</exception>
    /// <exception cref="InvalidOperationException">Its libtorch is another version, the application has a libtorch of its own
    /// (a <c>TorchBackend=cpu</c> build), or a libtorch is already loaded.</exception>
    /// <exception cref="DllNotFoundException">A library failed to load (the message has the loader's reason).</exception>
    public static string Load(string folder) => Load(folder, AppContext.BaseDirectory);

    /// <summary><see cref="Load(string)"/> for an application in <paramref name="applicationFolder"/>.</summary>
    internal static string Load(string folder, string applicationFolder)
    {
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
            throw new DirectoryNotFoundException($"libtorch folder '{full}' ({EnvironmentVariable}) does not exist");
        var (version, source) = ReadVersion(full);
        if (!IsRequiredVersion(version) && !Accepted(version))
            throw new InvalidOperationException(
                $"libtorch folder '{full}' ({EnvironmentVariable}) has libtorch {version} (from {source}), but TorchSharp " +
                $"{TorchSharpVersion} was built for libtorch {RequiredVersion}.x (its torch.__version__ is {RequiredVersion}.0.0): " +
                $"point {EnvironmentVariable} at a libtorch " +
                $"{RequiredVersion} folder (e.g. torch/lib of pip's torch=={RequiredVersion}.*) or unset it");
        var paths = new List<string>();
        foreach (var name in Libraries)
        {
            var path = Path.Combine(full, NativeLibraries.FileName(name));
            if (File.Exists(path)) paths.Add(path);
            else if (name != "torch_cuda")
                throw new FileNotFoundException($"libtorch folder '{full}' ({EnvironmentVariable}) has no {Path.GetFileName(path)}", path);
        }

        // TorchSharp loads the application's own libtorch by path as well: two copies register their operators twice and abort.
        var own = new[] { applicationFolder, Path.Combine(applicationFolder, "runtimes", RuntimeInformation.RuntimeIdentifier, "native") }
            .Select(dir => Path.GetFullPath(Path.Combine(dir, NativeLibraries.FileName("torch_cpu"))))
            .FirstOrDefault(path => File.Exists(path) && Path.GetDirectoryName(path) != full.TrimEnd(Path.DirectorySeparatorChar));
        if (own is not null)
            throw new InvalidOperationException(
                $"the application has its own libtorch ({own}), so the one in '{full}' ({EnvironmentVariable}) cannot be used: " +
                $"TorchSharp would load both. Build with -p:TorchBackend=none to run on {EnvironmentVariable}, or unset it");

        lock (Gate)
        {
            if (s_loaded == full) return full;
            if (s_loaded is not null)
                throw new InvalidOperationException($"libtorch was already loaded from '{s_loaded}'; cannot load '{full}' as well");
            var already = NativeLibraries.LoadedPath(NativeLibraries.FileName("torch_cpu"));
            if (already is not null)
                throw new InvalidOperationException(
                    $"libtorch is already loaded from '{already}', so the one in '{full}' ({EnvironmentVariable}) cannot be used: " +
                    "load it before the first use of torch (TorchSharp loads its libtorch then)");
            foreach (var path in paths)
            {
                try { NativeLibrary.Load(path); }
                catch (DllNotFoundException e)
                {
                    throw new DllNotFoundException(
                        $"loading {path} ({EnvironmentVariable}) failed: {NativeLibraries.TryLoad(path) ?? e.Message}", e);
                }
            }
            s_loaded = full;
        }
        return full;
    }

    /// <summary>
    /// The version of the libtorch in <paramref name="folder"/> and the file it came from: <c>../version.py</c>'s
    /// <c>__version__</c> in a pip PyTorch (folder <c>torch/lib</c>), or <c>../build-version</c> in a libtorch zip
    /// (folder <c>libtorch/lib</c>).
    /// </summary>
    /// <exception cref="FileNotFoundException">Neither file exists, or neither says a version.</exception>
    public static (string Version, string Source) ReadVersion(string folder)
    {
        var parent = Path.GetFullPath(Path.Combine(folder, ".."));
        var versionPy = Path.Combine(parent, "version.py");
        if (File.Exists(versionPy) && PythonVersion().Match(File.ReadAllText(versionPy)) is { Success: true } m)
            return (m.Groups[1].Value, versionPy);
        var buildVersion = Path.Combine(parent, "build-version");
        if (File.Exists(buildVersion) && File.ReadAllText(buildVersion).Trim() is { Length: > 0 } text)
            return (text, buildVersion);
        throw new FileNotFoundException(
            $"cannot tell the libtorch version of '{Path.GetFullPath(folder)}' ({EnvironmentVariable}): expected {versionPy} " +
            $"with __version__ = '...' (pip PyTorch, folder torch/lib) or {buildVersion} (libtorch zip, folder libtorch/lib)", versionPy);
    }

    /// <summary>Whether <see cref="AcceptVersionVariable"/> names <paramref name="version"/>'s major.minor.</summary>
    public static bool Accepted(string version) =>
        Environment.GetEnvironmentVariable(AcceptVersionVariable) is { Length: > 0 } accepted
        && (version == accepted
            || version.StartsWith(accepted + ".", StringComparison.Ordinal)
            || version.StartsWith(accepted + "+", StringComparison.Ordinal));

    /// <summary>Whether <paramref name="version"/> ("2.10.0+cu128", "2.10.1") is <see cref="RequiredVersion"/>.x.</summary>
    public static bool IsRequiredVersion(string version) =>
        version == RequiredVersion
        || version.StartsWith(RequiredVersion + ".", StringComparison.Ordinal)
        || version.StartsWith(RequiredVersion + "+", StringComparison.Ordinal);

    // The assembly's version: reading it runs no TorchSharp code.
    private static string TorchSharpVersion => typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "0.107";

    [GeneratedRegex(@"^__version__\s*=\s*['""]([^'""]+)['""]", RegexOptions.Multiline)]
    private static partial Regex PythonVersion();
}
