using System.Diagnostics;
using MtlAgent.Agent.Checkpoints;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.IO;
using MtlAgent.Agent.Runs;
using MtlAgent.Agent.Runs.TensorBoard;
using MtlAgent.Agent.Training;
using Serilog;
using Spectre.Console;

namespace MtlAgent.Cli.Training;

/// <summary>
/// <c>mtl train</c>'s screen and signals around an agent-side <see cref="TrainingRunner"/>: builds or resumes the
/// trainer, drives the runner to the frame budget or a <see cref="StopRequest"/>, and shows the live view (or, with
/// redirected output, the log's progress lines).
/// </summary>
public sealed class TrainingSession(TrainConfig config, RunDirectory run, ILogger log, bool live, int? stopWithParent = null)
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Starts from scratch, or from <paramref name="checkpoint"/> when given; returns the exit code.</summary>
    public int Run(string? checkpoint)
    {
        double wallSeconds = 0;
        Trainer trainer;
        if (checkpoint is null) trainer = new Trainer(config);
        else
        {
            (trainer, wallSeconds) = TrainerCheckpoint.Load(checkpoint, config);
            new MetricsLog(run.MetricsPath).TruncateAfter(trainer.FramesPerGame);
            new TensorBoardLog(run.Path).TruncateAfter(trainer.FramesPerGame);
            log.Information("Resumed from {Checkpoint} at {Frames:N0} frames per game ({Updates:N0} updates)", Path.GetFileName(checkpoint),
                trainer.FramesPerGame, trainer.Updates);
        }
        using var _ = trainer;
        // Written once the trainer stands: a start that fails (no CUDA, bad checkpoint) leaves no run behind to refuse.
        Durable.WriteAllText(run.ConfigPath, ConfigYaml.Write(config));
        using var stop = new StopRequest(Say, stopWithParent);

        var replayBytes = trainer.ReplayBytesPerTransition;
        for (int g = 0; g < config.Games.Count; g++)
            log.Information("Replay {Game}: {Capacity:N0} transitions, {Bytes} bytes per transition ({Megabytes:F1} MB when full)",
                config.Games[g], config.Replay.CapacityPerGame, replayBytes[g],
                (double)config.Replay.CapacityPerGame * replayBytes[g] / 1e6);
        if (config.Monitor.GradientEvery > 0 && config.Tasks.Sampling == Sampling.RoundRobin && config.Games.Count > 1)
            Say("monitor.gradient_every has no effect with tasks.sampling: round_robin (each update's batch holds one game)");
        var runner = new TrainingRunner(new TrainerLoop(trainer), run, line => log.Information("{Line}", line), wallSeconds,
            resumed: checkpoint is not null);
        if (live)
            AnsiConsole.Live(LiveView.Render(runner.Progress(0), run.Path)).AutoClear(false)
                .Start(ctx => Loop(runner, trainer, stop, p => { ctx.UpdateTarget(LiveView.Render(p, run.Path)); ctx.Refresh(); }));
        else
            Loop(runner, trainer, stop, null);

        var name = runner.Finish();
        Say(stop.Requested
            ? $"Interrupted at {trainer.FramesPerGame:N0} frames per game; checkpoint {name} written. Continue with: mtl train --resume " +
              $"{run.Path}"
            : $"Finished {trainer.FramesPerGame:N0} frames per game in " +
              $"{TrainingProgress.Duration(TimeSpan.FromSeconds(runner.WallSeconds))}; checkpoint {name} in {run.Path}");
        Say($"Report of the run (HTML): mtl report {run.Path}");
        return 0;
    }

    private static void Loop(TrainingRunner runner, Trainer trainer, StopRequest stop, Action<TrainingProgress>? refresh)
    {
        var view = Stopwatch.StartNew();
        var (viewFrames, viewRate) = (trainer.FramesPerGame, 0.0);
        while (!runner.Done && !stop.Requested)
        {
            runner.Step();
            if (refresh is null || view.Elapsed < RefreshInterval) continue;
            var instant = (trainer.FramesPerGame - viewFrames) * trainer.Config.Games.Count / view.Elapsed.TotalSeconds;
            viewRate = viewRate == 0 ? instant : 0.7 * viewRate + 0.3 * instant;
            refresh(runner.Progress(viewRate));
            (viewFrames, view) = (trainer.FramesPerGame, Stopwatch.StartNew());
        }
        refresh?.Invoke(runner.Progress(viewRate));
    }

    // In live mode the console shows only the view, so messages meant for the user are printed as well as logged.
    private void Say(string message)
    {
        log.Information("{Message}", message);
        if (live) AnsiConsole.WriteLine(message);
    }
}
