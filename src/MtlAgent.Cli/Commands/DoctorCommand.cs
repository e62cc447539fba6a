using System.CommandLine;
using System.Runtime.InteropServices;
using MtlAgent.Agent.Engine;
using MtlAgent.Build;
using TorchSharp;

namespace MtlAgent.Cli.Commands;

/// <summary>
/// <c>mtl doctor</c>: whether the tensor engine can run here, and why not: TorchSharp and the libtorch it will use
/// (the application's or <c>MTL_LIBTORCH_DIR</c>'s), the native shim's libstdc++ requirement, whether that libtorch
/// defines every symbol the shim imports (read from the files, before anything loads), loading, threads and CUDA.
/// Exit code 1 when something would stop training.
/// </summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var cmd = new Command("doctor", "Check the tensor engine: libtorch in use, its version and symbols, loading, threads, CUDA");
        cmd.SetAction(_ => Run());
        return cmd;
    }

    private static int Run()
    {
        bool ok = true;
        void Line(string what, string text) => Console.WriteLine($"{what,-12} {text}");
        Line("TorchSharp",
            $"{typeof(torch).Assembly.GetName().Version?.ToString(3)} (built for libtorch {LibTorchFolder.RequiredVersion})");

        var app = AppContext.BaseDirectory;
        var folder = Environment.GetEnvironmentVariable(LibTorchFolder.EnvironmentVariable) is { Length: > 0 } dir
            ? Path.GetFullPath(dir)
            : null;
        if (folder is null) Line("libtorch", $"the application's ({app})");
        else
        {
            try
            {
                var (version, source) = LibTorchFolder.ReadVersion(folder);
                Line("libtorch", $"{folder} ({LibTorchFolder.EnvironmentVariable}): version {version} (from {source})" +
                    (LibTorchFolder.IsRequiredVersion(version) ? "" : LibTorchFolder.Accepted(version)
                        ? $": not {LibTorchFolder.RequiredVersion}.x, accepted by {LibTorchFolder.AcceptVersionVariable}"
                        : $": NOT {LibTorchFolder.RequiredVersion}.x (set " +
                          $"{LibTorchFolder.AcceptVersionVariable} to use it anyway, if no symbol is missing)"));
                ok &= LibTorchFolder.IsRequiredVersion(version) || LibTorchFolder.Accepted(version);
            }
            catch (IOException e) { Line("libtorch", $"{folder}: {e.Message}"); ok = false; }
        }

        var shim = new[]
            {
                Path.Combine(app, "libLibTorchSharp.so"), Path.Combine(app, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
            }
            .FirstOrDefault(File.Exists);
        if (OperatingSystem.IsLinux() && shim is not null)
        {
            try
            {
                var need = ElfFile.Read(shim).VersionNeeds.Where(n => n.File == LibTorchSharpFix.LibStdCxx).SelectMany(n => n.Entries)
                    .FirstOrDefault(e => e.Name == LibTorchSharpFix.RequiredVersion);
                var system = LibTorchSharpFix.FindSystemLibStdCxx();
                bool systemHas = system is not null && LibTorchSharpFix.DefinesVersion(system, LibTorchSharpFix.RequiredVersion);
                var version = LibTorchSharpFix.RequiredVersion;
                string requirement = need is null ? $"does not require {version}"
                    : (need.Flags & ElfFile.VER_FLG_WEAK) != 0 ? $"requires {version} weakly (patched by the build)"
                    : $"requires {version}";
                Line("shim", $"{shim}: {requirement}; system {system ?? "libstdc++ not found"} {(systemHas ? "has" : "lacks")} it");
                ok &= need is null || systemHas || (need.Flags & ElfFile.VER_FLG_WEAK) != 0;

                var check = LibTorchSymbols.Check(shim, folder ?? app);
                Line("symbols", check.Missing.Count == 0
                    ? $"all {check.Imported:N0} symbols the shim imports from libtorch are defined by " +
                      $"{string.Join(", ", check.Libraries.Select(Path.GetFileName))}"
                    : $"{check.Missing.Count:N0} of {check.Imported:N0} imported symbols are missing from " +
                      $"{string.Join(", ", check.Libraries.Select(Path.GetFileName))}: " +
                      string.Join(" ", check.Missing.Take(20)) + (check.Missing.Count > 20 ? " ..." : ""));
                ok &= check.Missing.Count == 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException) { Line("symbols", e.Message); ok = false; }
        }
        else Line("shim", shim is null ? $"libLibTorchSharp not found in {app}" : $"{shim} (symbol check: Linux only)");

        try
        {
            TorchRuntime.Initialize();
            Line("loads", $"yes; intra-op threads {torch.get_num_threads()}" +
                $" ({TorchRuntime.ThreadsVariable}={Environment.GetEnvironmentVariable(TorchRuntime.ThreadsVariable) ?? "unset"})");
            Line("CUDA", torch.cuda.is_available() ? $"available, {torch.cuda.device_count()} device(s)" : "not available");
        }
        catch (Exception e) when (e is DllNotFoundException or InvalidOperationException or IOException or TypeInitializationException
            or ArgumentException or ExternalException)
        {
            Line("loads", $"no: {e.Message}");
            ok = false;
        }
        return ok ? 0 : CliErrors.Failure;
    }
}
