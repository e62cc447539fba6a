using System.Diagnostics;

namespace MtlAgent.Cli.Tests;

/// <summary>Runs the built <c>mtl.dll</c> (copied next to the tests) as a child process with <c>dotnet</c>.</summary>
public static class MtlChildProcess
{
    /// <summary>Exit code, stdout and stderr of one finished run.</summary>
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    private static readonly string MtlDll = Path.Combine(AppContext.BaseDirectory, "mtl.dll");

    /// <summary>Runs <c>mtl ARGS</c> in <paramref name="workingDirectory"/> and waits for it.</summary>
    public static Result Run(string workingDirectory, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        using var process = Start(workingDirectory, args, environment);
        return Wait(process);
    }

    /// <summary>Starts <c>mtl ARGS</c> with stdout and stderr redirected.</summary>
    public static Process Start(string workingDirectory, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(MtlDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        return Process.Start(info)!;
    }

    /// <summary>Waits for a started process, collecting the rest of its output.</summary>
    public static Result Wait(Process process, string stdoutSoFar = "")
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("mtl did not finish in 5 minutes");
        }
        return new Result(process.ExitCode, stdoutSoFar + stdout.Result, stderr.Result);
    }

    /// <summary>Sends a POSIX signal (e.g. 15, SIGTERM) to a child process.</summary>
    public static void Signal(Process process, int signal) => Signal(process.Id, signal);

    /// <summary>Sends <paramref name="signal"/> to the process <paramref name="pid"/>.</summary>
    public static void Signal(int pid, int signal)
    {
        if (kill(pid, signal) != 0) throw new InvalidOperationException($"kill({pid}, {signal}) failed");
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    /// <summary>A fresh empty directory under the system temp folder.</summary>
    public static string TempDirectory(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
