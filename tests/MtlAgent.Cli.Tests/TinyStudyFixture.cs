namespace MtlAgent.Cli.Tests;

/// <summary>
/// A tiny two-game transfer study (smoke preset, 1,000 frames per game, seeds 0 and 1: six runs) made the hard way:
/// killed (SIGKILL) while its second run trains, then continued with two jobs. Shared by the study tests, which check
/// how it got there, and the report tests, which report on it.
/// </summary>
public sealed class TinyStudyFixture : IDisposable
{
    public TinyStudyFixture()
    {
        Root = MtlChildProcess.TempDirectory("mtl-study");
        StudyDirectory = Path.Combine(Root, "study");
        // A training row every 100 frames gives the report's curves ten points per run.
        string[] args = ["study", "transfer", "--preset", "smoke", "--frames", "1000", "--seeds", "0,1", "--jobs", "1",
            "--dir", StudyDirectory, "--set", "run.log_every_frames=100"];

        // Killed while its second run trains: that run, held (SIGSTOP) from its first metrics row until the study is gone
        // so that no machine is fast enough to finish it first, then stops by itself at its next step, writing a checkpoint.
        using (var study = MtlChildProcess.Start(Root, args))
        {
            int run = -1;
            while (study.StandardOutput.ReadLine() is { } line)
            {
                var started = System.Text.RegularExpressions.Regex.Match(line, @"started seed-0/single-Breakout-v0 \(pid (\d+)\)");
                if (!started.Success) continue;
                run = int.Parse(started.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                break;
            }
            if (run < 0) throw new InvalidOperationException("the study never started seed-0/single-Breakout-v0");
            WaitForATrainingRow(Path.Combine(StudyDirectory, "seed-0", "single-Breakout-v0", "metrics.jsonl"));
            MtlChildProcess.Signal(run, 19);
            study.Kill();
            study.WaitForExit();
            MtlChildProcess.Signal(run, 18);
        }
        KilledRun = Path.Combine(StudyDirectory, "seed-0", "single-Breakout-v0");
        WaitUntilFree(KilledRun);
        MultiFinishedBeforeTheKill = File.Exists(Path.Combine(StudyDirectory, "seed-0", "multi", "latest"));
        Resumed = MtlChildProcess.Run(Root, ["study", "transfer", "--dir", StudyDirectory, "--jobs", "2"]);
    }

    /// <summary>Temporary folder holding the study; tests put their own files here.</summary>
    public string Root { get; }

    /// <summary>The study directory.</summary>
    public string StudyDirectory { get; }

    /// <summary>The run that was training when the study was killed.</summary>
    public string KilledRun { get; }

    /// <summary>Whether the first run had its checkpoint when the study was killed.</summary>
    public bool MultiFinishedBeforeTheKill { get; }

    /// <summary>How the continued study ended.</summary>
    public MtlChildProcess.Result Resumed { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private static void WaitForATrainingRow(string metrics)
    {
        for (int i = 0; i < 30_000; i++)
        {
            try
            {
                using var stream = new FileStream(metrics, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                if (new StreamReader(stream).ReadToEnd().Contains("\"kind\":\"train\"")) return;
            }
            catch (IOException) { }
            Thread.Sleep(10);
        }
        throw new TimeoutException($"no training row in {metrics} after 5 minutes");
    }

    private static void WaitUntilFree(string runDirectory)
    {
        var lockFile = Path.Combine(runDirectory, ".lock");
        for (int i = 0; i < 300; i++)
        {
            try
            {
                using var _ = new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return;
            }
            catch (IOException) { Thread.Sleep(100); }
        }
        throw new TimeoutException($"{runDirectory} is still in use 30 s after its study was killed");
    }
}

[CollectionDefinition(Name)]
public sealed class TinyStudyCollection : ICollectionFixture<TinyStudyFixture>
{
    /// <summary>Name of the test collection sharing the tiny study.</summary>
    public const string Name = "tiny study";
}
