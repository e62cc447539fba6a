namespace MtlAgent.Cli.Tests;

/// <summary>
/// One smoke training run for the report tests, with evaluation rows and a training row every 100 frames, so every
/// chart of a run report has data (the shared smoke run of the train tests, their bitwise reference, has neither).
/// </summary>
public sealed class ReportRunFixture : IDisposable
{
    public ReportRunFixture()
    {
        Root = MtlChildProcess.TempDirectory("mtl-report-run");
        RunDirectory = Path.Combine(Root, "run");
        Train = MtlChildProcess.Run(Root, ["train", "--preset", "smoke", "--frames", "2000", "--run-dir", RunDirectory,
            "--set", "run.log_every_frames=100", "--set", "run.eval_every_frames=1000", "--set", "run.eval_episodes=3",
            "--set", "run.eval_max_episode_steps=200"]);
        if (Train.ExitCode != 0) throw new InvalidOperationException($"smoke training failed: {Train}");
    }

    /// <summary>Temporary folder holding the run; tests put their own files here.</summary>
    public string Root { get; }

    /// <summary>The run directory (20 training rows, 2 evaluation rows, 6 gradient rows, checkpoints step-1000 and step-2000).</summary>
    public string RunDirectory { get; }

    /// <summary>How <c>mtl train</c> ended.</summary>
    public MtlChildProcess.Result Train { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
