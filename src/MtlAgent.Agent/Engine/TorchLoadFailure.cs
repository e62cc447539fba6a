using TorchSharp;

namespace MtlAgent.Agent.Engine;

/// <summary>
/// Says why TorchSharp's natives do not load. TorchSharp's own first-use failure is a <c>TypeInitializationException</c>
/// saying the application "doesn't contain a reference to libtorch-cpu-linux-x64", whatever the cause (after copying
/// about 480 MB of natives next to the application trying again). The usual cause is that <c>libLibTorchSharp</c>
/// cannot be loaded, e.g. it needs <c>GLIBCXX_3.4.32</c> (GCC 13's libstdc++) and the system has an older one: the
/// loader's own message says so, and that is what these report.
/// </summary>
public static class TorchLoadFailure
{
    /// <summary>
    /// Loads TorchSharp's natives now (CPU), first checking that the application's <c>libLibTorchSharp</c> loads, so a
    /// failure is reported with its cause, before TorchSharp's misleading message and its copying of natives.
    /// </summary>
    /// <exception cref="DllNotFoundException">The natives do not load; the message has the loader's reason.</exception>
    public static void EnsureTorchLoaded()
    {
        var library = ApplicationLibrary();
        if (library is not null && NativeLibraries.TryLoad(library) is { } error)
            throw new DllNotFoundException(Describe(library, error));
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception e) when (Explain(e) is { } message)
        {
            throw new DllNotFoundException(message, e);
        }
    }

    /// <summary>
    /// For TorchSharp's "doesn't contain a reference to libtorch" failure (in <paramref name="e"/> or an inner exception),
    /// a message with the real cause; null for any other exception.
    /// </summary>
    public static string? Explain(Exception e) => Explain(e, ApplicationLibrary());

    /// <summary><see cref="Explain(Exception)"/> for the <c>libLibTorchSharp</c> at <paramref name="library"/> (null: not found).</summary>
    internal static string? Explain(Exception e, string? library)
    {
        if (!IsTorchSharpLoadFailure(e)) return null;
        if (library is null)
            return $"TorchSharp's natives did not load, and {NativeLibraries.FileName("LibTorchSharp")} is not in " +
                   $"{AppContext.BaseDirectory} " +
                   "(nor its runtimes folder): the build did not copy TorchSharp's natives";
        return NativeLibraries.TryLoad(library) is { } error
            ? Describe(library, error)
            : $"TorchSharp's natives did not load, although {library}" +
              $" itself loads: check that a libtorch {LibTorchFolder.RequiredVersion} " +
              $"is next to it or named by {LibTorchFolder.EnvironmentVariable}. TorchSharp said: {Innermost(e).Message}";
    }

    private static string Describe(string library, string error) =>
        $"TorchSharp cannot load {library}: {error}" +
        (error.Contains("GLIBCXX_", StringComparison.Ordinal)
            ? ". TorchSharp 0.107's LibTorchSharp is built with GCC 13; this system's libstdc++ is older " +
              "(the build's weak-version patch of libLibTorchSharp was not applied?)"
            : error.Contains("undefined symbol", StringComparison.Ordinal)
              || error.Contains("cannot open shared object file", StringComparison.Ordinal)
            ? $". It needs libtorch {LibTorchFolder.RequiredVersion}" +
              $": build with the libtorch package (TorchBackend=cpu) or set {LibTorchFolder.EnvironmentVariable} " +
              $"to a libtorch {LibTorchFolder.RequiredVersion} folder (another libtorch found on the system does not fit)"
            : "");

    private static bool IsTorchSharpLoadFailure(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x.Message.Contains("doesn't contain a reference to libtorch", StringComparison.Ordinal)) return true;
        return false;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    // Where .NET's probing finds TorchSharp's native library for this application: its folder, or runtimes/<rid>/native.
    private static string? ApplicationLibrary()
    {
        var name = NativeLibraries.FileName("LibTorchSharp");
        var candidates = new[]
        {
            Path.Combine(AppContext.BaseDirectory, name),
            Path.Combine(AppContext.BaseDirectory, "runtimes", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier,
                "native", name),
        };
        return candidates.FirstOrDefault(File.Exists);
    }
}
