using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace MtlAgent.Cli.Tests.Support;

/// <summary>
/// Headless Chromium for screenshots of reports: Debian's <c>chromium</c> package at <see cref="Executable"/>. Where it is
/// missing and the tests run as root it is installed once per test run (<c>apt-get update</c>, then
/// <c>apt-get install -y chromium</c>); where it cannot be, tests that need it skip, saying why.
/// </summary>
public static class Chromium
{
    /// <summary>Where Debian's package puts the browser.</summary>
    public const string Executable = "/usr/bin/chromium";

    private static readonly Lazy<(string? Unavailable, string Log)> Installation =
        new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>What installing did (or that nothing was needed), for the test output.</summary>
    public static string Log => Installation.Value.Log;

    /// <summary>Makes sure Chromium is there; throws <see cref="SkipTestException"/> with the reason where it cannot be.</summary>
    public static void Require()
    {
        if (Installation.Value.Unavailable is { } why) throw new SkipTestException(why);
    }

    /// <summary>
    /// Screenshots <paramref name="html"/> (a local file) into <paramref name="png"/> with a window of
    /// <paramref name="width"/> x <paramref name="height"/> CSS pixels; returns Chromium's output.
    /// </summary>
    public static string Screenshot(string html, string png, int width, int height)
    {
        Require();
        var profile = Directory.CreateTempSubdirectory("mtl-chromium-profile-").FullName;
        try
        {
            var (code, output) = Run(Executable,
                ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--user-data-dir=" + profile,
                 $"--window-size={width},{height}", "--screenshot=" + png, new Uri(Path.GetFullPath(html)).AbsoluteUri],
                TimeSpan.FromMinutes(2));
            if (code != 0 || !File.Exists(png)) throw new InvalidOperationException($"chromium exited {code} without {png}:\n{output}");
            return output;
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    private static (string? Unavailable, string Log) Install()
    {
        if (File.Exists(Executable)) return (null, $"{Executable} is installed");
        if (!OperatingSystem.IsLinux()) return ($"{Executable} is missing and installing it needs Debian's apt-get", "");
        if (geteuid() != 0)
            return ($"{Executable} is missing and the tests do not run as root, so it cannot be installed (apt-get install chromium)", "");
        if (!File.Exists("/usr/bin/apt-get")) return ($"{Executable} is missing and there is no apt-get to install it", "");
        var log = new StringBuilder($"{Executable} is missing; installing Debian's chromium package\n");
        // Another apt (a second test run, unattended upgrades) may hold the lock for a while: wait for it rather than fail.
        string[] wait = ["-o", "DPkg::Lock::Timeout=300"];
        foreach (string[] args in new string[][] { ["update", .. wait], ["install", "-y", "chromium", .. wait] })
        {
            log.Append("$ apt-get ").AppendJoin(' ', args).Append('\n');
            var (code, output) = Run("/usr/bin/apt-get", args, TimeSpan.FromMinutes(15), ("DEBIAN_FRONTEND", "noninteractive"));
            log.Append(Tail(output));
            if (code != 0)
                return ($"apt-get {args[0]} failed (exit {code}), so {Executable} cannot be installed:\n{Tail(output)}", log.ToString());
        }
        return File.Exists(Executable)
            ? (null, log.Append($"installed {Executable}\n").ToString())
            : ($"apt-get install chromium succeeded but left no {Executable}", log.ToString());
    }

    private static (int Code, string Output) Run(string file, IEnumerable<string> args, TimeSpan timeout,
        params (string Key, string Value)[] env)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{file} did not finish in {timeout}");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string Tail(string text, int lines = 15) =>
        string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines)) + "\n";

    [DllImport("libc")]
    private static extern uint geteuid();
}
