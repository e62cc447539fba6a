using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Studies;
using MtlAgent.Cli.Output;

namespace MtlAgent.Cli.Commands;

/// <summary>
/// <c>mtl study transfer</c>: the multi-game run of a preset and its single-game baselines, per seed, each an
/// <c>mtl train</c> child process in its own run directory under one study directory, <c>--jobs</c> at a time; restarted
/// on the same directory it skips finished runs and resumes unfinished ones. Ends with <c>mtl compare</c> of the study.
/// </summary>
public static class StudyCommand
{
    public static Command Create()
    {
        var study = new Command("study", "Run studies: sets of training runs that answer one question");
        study.Subcommands.Add(Transfer());
        return study;
    }

    private static Command Transfer()
    {
        var preset = new Option<string?>("--preset")
        {
            HelpName = "NAME", Description = $"Multi-game preset to study (default {Presets.Default})",
        };
        var frames = new Option<long?>("--frames") { HelpName = "N", Description = "Frames per game of every run (default: the preset's)" };
        var seeds = new Option<string?>("--seeds")
        {
            HelpName = "LIST", Description = "Comma-separated study seeds, e.g. 0,1,2 (default 0); every run of seed s uses seed s",
        };
        var jobs = new Option<int>("--jobs") { HelpName = "N", Description = "Runs at once", DefaultValueFactory = _ => 1 };
        var set = SetOption.Create("Override one setting of every run, as in mtl train (repeatable)");
        var threads = new Option<int?>("--torch-threads")
        {
            HelpName = "N", Description = "torch threads of every run (default 1: numbers do not depend on --jobs)",
        };
        var dir = new Option<string?>("--dir")
        {
            HelpName = "DIR", Description = "Study directory (default checkpoints/study-<preset>-<UTC time>); an existing one is continued",
        };
        var cmd = new Command("transfer",
            "Multi-game run and single-game baselines of a preset at equal frames per game, per seed; then mtl compare");
        foreach (var o in new Option[] { preset, frames, seeds, jobs, set, threads, dir }) cmd.Options.Add(o);
        cmd.SetAction(parse => Run(parse.GetValue(preset), parse.GetValue(frames), parse.GetValue(seeds), parse.GetValue(jobs),
            parse.GetValue(set) ?? [], parse.GetValue(threads), parse.GetValue(dir)));
        return cmd;
    }

    private static int Run(string? preset, long? frames, string? seedList, int jobs, string[] sets, int? threads, string? dir)
    {
        if (jobs < 1) throw new ArgumentException($"--jobs must be at least 1, got {jobs}");
        var directory = Path.GetFullPath(dir ?? Path.Combine("checkpoints",
            $"study-{preset ?? Presets.Default}-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}"));
        var saved = Directory.Exists(directory) ? TransferStudy.Load(directory) : null;
        bool given = preset is not null || frames is not null || seedList is not null || sets.Length > 0 || threads is not null;
        TransferStudy study;
        if (saved is not null && !given) study = saved;
        else
        {
            var planned = TransferStudy.Plan(preset ?? saved?.Preset ?? Presets.Default, frames ?? saved?.Frames,
                ParseSeeds(seedList) ?? saved?.Seeds ?? [0], sets.Length > 0 ? sets : saved?.Sets ?? [],
                threads ?? saved?.TorchThreads ?? 1);
            if (saved is not null && !planned.SameRunsAs(saved))
                throw new ArgumentException(
                    $"'{directory}' holds a study of other runs ({TransferStudy.FileName}: preset " +
                    $"{saved.Preset}, {saved.Frames:N0} frames, " +
                    $"seeds {string.Join(",", saved.Seeds)}); continue it with just --dir, or choose another --dir");
            if (saved is null && Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
                throw new ArgumentException($"'{directory}' is not empty and holds no study; choose another --dir");
            study = planned;
            Directory.CreateDirectory(directory);
            study.Save(directory);
        }

        var pending = new Queue<StudyRun>();
        foreach (var run in study.Runs())
        {
            var state = study.StateOf(Path.Combine(directory, run.Name));
            Console.WriteLine($"{run.Name,-36} " +
                $"{state switch { StudyRunState.Finished => "finished", StudyRunState.Unfinished => "to resume", _ => "to start" }}");
            if (state != StudyRunState.Finished) pending.Enqueue(run);
        }
        Console.WriteLine($"Study {directory}: {study.Preset}, {study.Frames:N0} frames per game, seeds {string.Join(",", study.Seeds)}, " +
            $"{pending.Count} of {study.Runs().Count} runs to do, {jobs} at a time");

        var running = new Dictionary<Process, StudyRun>();
        var failed = new List<string>();
        int stop = 0;
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            if (Interlocked.Exchange(ref stop, 1) != 0) return;
            Console.WriteLine($"{context.Signal}" +
                $" received: stopping the running runs (each writes a checkpoint); continue with: mtl study transfer --dir {directory}");
            lock (running) foreach (var p in running.Keys) Signal(p, 15);
        }
        using (PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal))
        using (PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal))
        {
            while (pending.Count > 0 || running.Count > 0)
            {
                while (stop == 0 && pending.Count > 0 && running.Count < jobs)
                {
                    var run = pending.Dequeue();
                    var process = Launch(study, run, Path.Combine(directory, run.Name));
                    lock (running) running[process] = run;
                    Console.WriteLine($"{Now()} started {run.Name} (pid {process.Id})");
                }
                if (stop != 0) pending.Clear();
                var ended = running.Keys.FirstOrDefault(p => p.HasExited);
                if (ended is null) { Thread.Sleep(200); continue; }
                StudyRun done;
                lock (running) { done = running[ended]; running.Remove(ended); }
                ended.WaitForExit();
                var log = Path.Combine(directory, done.Name, "console.log");
                if (ended.ExitCode == 0) Console.WriteLine($"{Now()} {(stop != 0 ? "stopped" : "finished")} {done.Name}");
                else { failed.Add(done.Name); Console.WriteLine($"{Now()} FAILED {done.Name} (exit {ended.ExitCode}; see {log})"); }
                ended.Dispose();
            }
        }
        if (failed.Count > 0)
            throw new InvalidOperationException($"{failed.Count} run(s) failed: " +
                $"{string.Join(", ", failed)}; their console.log says why; fix and continue with: mtl study transfer --dir {directory}");
        if (stop != 0) return 0;

        var comparison = ComparisonInputs.Load([directory]).Compare();
        ComparisonTable.Write(ConsoleOutput.Create(), comparison);
        CompareCommand.Write(directory, comparison);
        Console.WriteLine($"Comparison written to {Path.Combine(directory, "compare.md")} and compare.json");
        return 0;
    }

    private static Process Launch(TransferStudy study, StudyRun run, string runDirectory)
    {
        Directory.CreateDirectory(runDirectory);
        var args = study.StateOf(runDirectory) == StudyRunState.NotStarted
            ? study.TrainArguments(run, runDirectory).ToList()
            : ["train", "--resume", runDirectory, "--frames", study.Frames.ToString(CultureInfo.InvariantCulture)];
        args.AddRange(["--stop-with-parent", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)]);
        var (file, prefix) = Self();
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in prefix.Concat(args)) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start mtl for {run.Name}");
        var log = new StreamWriter(Path.Combine(runDirectory, "console.log"), append: true) { AutoFlush = true };
        var gate = new object();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (gate) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (gate) log.WriteLine(e.Data); };
        process.Exited += (_, _) => { process.WaitForExit(); lock (gate) log.Dispose(); };
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // This same mtl: its own executable, or `dotnet mtl.dll`.
    private static (string File, string[] Prefix) Self()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable runs mtl");
        return Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? (host, [typeof(StudyCommand).Assembly.Location])
            : (host, []);
    }

    private static IReadOnlyList<int>? ParseSeeds(string? list)
    {
        if (list is null) return null;
        var parts = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return parts.Select(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) && s >= 0
            ? s : throw new ArgumentException($"--seeds: '{p}' is not a non-negative integer (e.g. --seeds 0,1,2)")).ToList();
    }

    private static string Now() => DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    private static void Signal(Process process, int signal)
    {
        try { if (!process.HasExited) kill(process.Id, signal); } catch (InvalidOperationException) { }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
