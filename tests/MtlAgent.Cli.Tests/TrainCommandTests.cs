using MtlAgent.Agent.Checkpoints;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Runs;

namespace MtlAgent.Cli.Tests;

/// <summary>End-to-end tests of <c>mtl train</c> through the real entry point, on the smoke preset (CPU).</summary>
public class TrainCommandTests(SmokeRunFixture smoke) : IClassFixture<SmokeRunFixture>
{
    private const string Model = "model.safetensors";

    [Fact]
    public void SmokeRun_WritesConfigLogMetricsAndLoadableCheckpoints()
    {
        Assert.True(smoke.Result.ExitCode == 0, smoke.Result.ToString());
        var run = smoke.Run;
        Assert.Equal(3000, smoke.Config.Frames);
        Assert.Contains("Resolved config", File.ReadAllText(run.LogPath));
        Assert.Contains("Finished 3,000 frames per game", smoke.Result.Stdout);

        var all = new MetricsLog(run.MetricsPath).Read();
        var rows = all.Where(r => r.GetProperty("kind").GetString() == "train").ToList();
        Assert.Equal([500L, 1000, 1500, 2000, 2500, 3000], rows.Select(r => r.GetProperty("frames_per_game").GetInt64()));
        // Gradient rows every 250 updates (smoke: gradient_every 250, one update per frame after 500 frames).
        var gradients = all.Where(r => r.GetProperty("kind").GetString() == "gradients").ToList();
        Assert.Equal([250L, 500, 750, 1000, 1250, 1500, 1750, 2000, 2250, 2500],
            gradients.Select(r => r.GetProperty("updates").GetInt64()));
        Assert.All(gradients, g => Assert.Equal(2, g.GetProperty("norms").GetArrayLength()));
        var last = rows[^1];
        Assert.Equal(2, last.GetProperty("games").GetArrayLength());
        Assert.True(last.GetProperty("updates").GetInt64() > 0);
        Assert.Equal("MinAtar/Breakout-v0", last.GetProperty("games")[0].GetProperty("env").GetString());

        Assert.Equal([1000L, 2000, 3000], run.Checkpoints.All().Select(c => c.Frames));
        Assert.Equal("step-3000", File.ReadAllText(run.Checkpoints.LatestPath).Trim());
        Assert.Empty(Directory.EnumerateFileSystemEntries(run.Path, ".tmp*"));
        var (trainer, _) = TrainerCheckpoint.Load(run.Checkpoints.Latest()!, smoke.Config);
        using (trainer) Assert.Equal(3000, trainer.FramesPerGame);
    }

    [Fact]
    public void Resume_ContinuesBitwiseIdentically_WithoutGapsOrRepeatsInMetrics()
    {
        var dir = Path.Combine(smoke.Root, "resumed");
        var first = MtlChildProcess.Run(smoke.Root, ["train", "--preset", "smoke", "--run-dir", dir, "--frames", "1500"]);
        Assert.True(first.ExitCode == 0, first.ToString());
        var second = MtlChildProcess.Run(smoke.Root, ["train", "--resume", dir, "--frames", "3000"]);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("Resumed from step-1500", second.Stdout);

        var resumed = new RunDirectory(dir);
        Assert.Equal(File.ReadAllBytes(Path.Combine(smoke.Run.Checkpoints.Latest()!, Model)),
            File.ReadAllBytes(Path.Combine(resumed.Checkpoints.Latest()!, Model)));
        Assert.Equal(FramesAndUpdates(smoke.Run), FramesAndUpdates(resumed));
        Assert.Equal(3000, new ConfigBuilder().AddFile(resumed.ConfigPath).Build().Frames);
    }

    [Fact]
    public void EvaluationsDuringTraining_AddEvalRowsToTheMetrics()
    {
        var dir = Path.Combine(smoke.Root, "with-evals");
        var r = MtlChildProcess.Run(smoke.Root, ["train", "--preset", "smoke", "--run-dir", dir, "--frames", "1000",
            "--set", "run.eval_every_frames=500", "--set", "run.eval_episodes=3", "--set", "run.eval_max_episode_steps=200"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        var rows = new MetricsLog(new RunDirectory(dir).MetricsPath).Read();
        // The smoke preset probes gradients every 250 updates: at 750 and 1,000 frames per game, before that mark's row.
        Assert.Equal(["train", "eval", "gradients", "gradients", "train", "eval"], rows.Select(row => row.GetProperty("kind").GetString()));
        var eval = rows[^1];
        Assert.Equal(1000, eval.GetProperty("frames_per_game").GetInt64());
        Assert.Equal(3, eval.GetProperty("episodes").GetInt32());
        Assert.Equal(2, eval.GetProperty("games").GetArrayLength());
        foreach (var game in eval.GetProperty("games").EnumerateArray())
        {
            Assert.True(game.GetProperty("return_mean").GetDouble() >= 0);
            Assert.True(game.GetProperty("truncated").GetInt32() <= 3);
        }
        Assert.Contains("Evaluation at 1,000 frames per game", File.ReadAllText(new RunDirectory(dir).LogPath));
    }

    [Theory]
    [InlineData("written")]
    [InlineData("renamed")]
    public void KillDuringCheckpoint_LeavesThePreviousCheckpointLatest_AndTheRunResumes(string phase)
    {
        // Checkpoints every 500 frames; the second (step-1000) is killed before or after its rename, before `latest` moves.
        var dir = Path.Combine(smoke.Root, "killed-" + phase);
        var env = new Dictionary<string, string> { [CheckpointStore.KillHookVariable] = $"2:{phase}" };
        var killed = MtlChildProcess.Run(smoke.Root,
            ["train", "--preset", "smoke", "--run-dir", dir, "--frames", "1000", "--checkpoint-every", "500"], env);
        Assert.True(killed.ExitCode != 0, killed.ToString());
        var run = new RunDirectory(dir);
        Assert.Equal("step-500", Path.GetFileName(run.Checkpoints.Latest()));
        var (trainer, _) = TrainerCheckpoint.Load(run.Checkpoints.Latest()!, smoke.Config with { Frames = 1000 });
        using (trainer) Assert.Equal(500, trainer.FramesPerGame);

        var resumed = MtlChildProcess.Run(smoke.Root, ["train", "--resume", dir]);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("Resumed from step-500", resumed.Stdout);
        Assert.Equal("step-1000", Path.GetFileName(run.Checkpoints.Latest()));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir, ".tmp*"));
        // The uninterrupted run's step-1000 holds the same weights.
        Assert.Equal(File.ReadAllBytes(Path.Combine(smoke.Run.Path, "step-1000", Model)),
            File.ReadAllBytes(Path.Combine(run.Checkpoints.Latest()!, Model)));
    }

    // Twice at once is what `make train` produces: the signal reaches the process group, and make forwards it as it dies.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Sigterm_FinishesTheStep_WritesACheckpoint_AndExitsCleanly(int deliveries)
    {
        var dir = Path.Combine(smoke.Root, $"terminated-{deliveries}");
        // The repeat must count as the same request however slowly a loaded machine delivers it: a window of 10 minutes.
        using var process = MtlChildProcess.Start(smoke.Root, ["train", "--preset", "smoke", "--run-dir", dir, "--frames", "1000000000"],
            new Dictionary<string, string> { ["MTL_SIGNAL_REPEAT_WINDOW_S"] = "600" });
        var seen = new System.Text.StringBuilder();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            seen.AppendLine(line);
            if (line.Contains("Checkpoint step-1000")) break;
        }
        MtlChildProcess.Signal(process, 15);
        if (deliveries == 2)
        {
            // Standard signals pending together merge into one: send the repeat once the first has been handled.
            while (process.StandardOutput.ReadLine() is { } line)
            {
                seen.AppendLine(line);
                if (line.Contains("SIGTERM received")) break;
            }
            MtlChildProcess.Signal(process, 15);
        }
        var r = MtlChildProcess.Wait(process, seen.ToString());
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("SIGTERM received", r.Stdout);
        Assert.Contains("Continue with: mtl train --resume", r.Stdout);
        var run = new RunDirectory(dir);
        var frames = CheckpointStore.FramesOf(run.Checkpoints.Latest()!);
        // The signal may land before the step after step-1000 ends; then step-1000 is already the final state.
        Assert.True(frames >= 1000, $"latest is step-{frames}");
        Assert.Contains($"Interrupted at {frames:N0} frames per game; checkpoint step-{frames} written", r.Stdout);
        Assert.Contains($"Report of the run (HTML): mtl report {run.Path}", r.Stdout);
        var (trainer, _) = TrainerCheckpoint.Load(run.Checkpoints.Latest()!, new ConfigBuilder().AddFile(run.ConfigPath).Build());
        using (trainer) Assert.Equal(frames, trainer.FramesPerGame);
    }

    [Fact]
    public void ASecondTrainOnARunInProgress_IsRefused_ChangingNothing()
    {
        var dir = Path.Combine(smoke.Root, "in-use");
        using var first = MtlChildProcess.Start(smoke.Root, ["train", "--preset", "smoke", "--run-dir", dir, "--frames", "1000000000"]);
        var seen = new System.Text.StringBuilder();
        while (first.StandardOutput.ReadLine() is { } line)
        {
            seen.AppendLine(line);
            if (line.Contains("Checkpoint step-1000")) break;
        }
        var second = MtlChildProcess.Run(smoke.Root, ["train", "--resume", dir]);
        MtlChildProcess.Signal(first, 15);
        var r = MtlChildProcess.Wait(first, seen.ToString());
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("is in use by another mtl process", second.Stderr);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.DoesNotContain("Resuming run", File.ReadAllText(new RunDirectory(dir).LogPath));
    }

    [Fact]
    public void DivergedLoss_StopsWithAnError_KeepingTheLastGoodCheckpoint()
    {
        var dir = Path.Combine(smoke.Root, "diverged");
        var r = MtlChildProcess.Run(smoke.Root,
            ["train", "--preset", "smoke", "--run-dir", dir, "--set", "learner.learning_rate=1e30",
                "--set", "learner.learning_starts=1000"]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("error: training diverged at", r.Stderr);
        Assert.Contains("last good checkpoint: step-1000", r.Stderr);
        var run = new RunDirectory(dir);
        Assert.Equal([1000L], run.Checkpoints.All().Select(c => c.Frames));
        Assert.Contains("diverged", File.ReadAllText(run.LogPath));
    }

    [Fact]
    public void DefaultRunDirectory_IsCheckpointsPresetUtcTime_UnderTheCurrentDirectory()
    {
        var cwd = Path.Combine(smoke.Root, "default-dir");
        Directory.CreateDirectory(cwd);
        var r = MtlChildProcess.Run(cwd, ["train", "--preset", "smoke", "--frames", "10"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        var dir = Assert.Single(Directory.GetDirectories(Path.Combine(cwd, "checkpoints")));
        Assert.Matches(@"^smoke-\d{8}-\d{6}$", Path.GetFileName(dir));
        Assert.Equal("step-10", File.ReadAllText(Path.Combine(dir, "latest")).Trim());
    }

    [Fact]
    public void ExistingRunDirectory_WithoutResume_IsRefused()
    {
        var r = MtlChildProcess.Run(smoke.Root, ["train", "--preset", "smoke", "--run-dir", smoke.Run.Path]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("already holds a run", r.Stderr);
        Assert.Contains("--resume", r.Stderr);
    }

    [Fact]
    public void Resume_WithOtherGamesOrNetwork_IsRefused_SayingWhatDiffers()
    {
        var before = Directory.GetFileSystemEntries(smoke.Run.Path).Order().ToList();
        var r = MtlChildProcess.Run(smoke.Root,
            ["train", "--resume", smoke.Run.Path, "--games", "MinAtar/Breakout-v0", "--set", "network.hidden=64", "--frames", "4000"]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("error: cannot resume", r.Stderr);
        Assert.Contains("games: [\"MinAtar/Breakout-v0\", \"MinAtar/Asterix-v0\"] in the run, [\"MinAtar/Breakout-v0\"] now", r.Stderr);
        Assert.Contains("network.hidden: 128 in the run, 64 now", r.Stderr);
        Assert.Equal(before, Directory.GetFileSystemEntries(smoke.Run.Path).Order().ToList());
    }

    [Theory]
    [InlineData("--set", "learner.lerning_rate=0.1", "unknown key 'learner.lerning_rate'; known keys under 'learner': gamma")]
    [InlineData("--set", "learner.learning_rate=abc", "learner.learning_rate: 'abc' is not a number")]
    [InlineData("--games", "MinAtar/Brekout-v0", "unknown game 'MinAtar/Brekout-v0'; known: MinAtar/Breakout-v1, MinAtar/Breakout-v0")]
    public void InvalidConfig_FailsWithOneClearLine(string option, string value, string message)
    {
        var r = MtlChildProcess.Run(smoke.Root, ["train", "--preset", "smoke", "--run-dir", "never", option, value]);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: ", r.Stderr);
        Assert.Contains(message, r.Stderr);
        Assert.False(Directory.Exists(Path.Combine(smoke.Root, "never")));
    }

    private static List<(long, long)> FramesAndUpdates(RunDirectory run) =>
        new MetricsLog(run.MetricsPath).Read()
            .Select(r => (r.GetProperty("frames_per_game").GetInt64(), r.GetProperty("updates").GetInt64()))
            .ToList();
}
