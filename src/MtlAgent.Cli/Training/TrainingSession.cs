using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using MtlAgent.Agent.Checkpoints;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Evaluation;
using MtlAgent.Agent.IO;
using MtlAgent.Agent.Runs;
using MtlAgent.Agent.Training;
using Serilog;
using Spectre.Console;

namespace MtlAgent.Cli.Training;

/// <summary>
/// Drives a <see cref="Trainer"/> to the run's frame budget: metrics rows and progress every
/// <see cref="RunConfig.LogEveryFrames"/>, checkpoints every <see cref="RunConfig.CheckpointEveryFrames"/>,
/// at the end and on Ctrl+C/SIGTERM (after the current step). A diverged loss stops the run without saving.
/// </summary>
public sealed class TrainingSession(TrainConfig config, RunDirectory run, ILogger log, bool live, int? stopWithParent = null)
{
    static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(500);
    static readonly TimeSpan DuplicateSignalWindow = TimeSpan.FromSeconds(2);

    readonly MetricsLog _metrics = new(run.MetricsPath);
    readonly Stopwatch _clock = new();
    double _wallOffset;
    int _stopRequested;
    long _firstSignal;
    readonly object _signalLock = new();
    long _lastCheckpoint = -1;
    IntervalLoss _loss = null!;

    /// <summary>Starts from scratch, or from <paramref name="checkpoint"/> when given; returns the exit code.</summary>
    public int Run(string? checkpoint)
    {
        using var trainer = checkpoint is null ? new Trainer(config) : Resume(checkpoint);
        // Written once the trainer stands: a start that fails (no CUDA, bad checkpoint) leaves no run behind to refuse.
        Durable.WriteAllText(run.ConfigPath, ConfigYaml.Write(config));
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var watch = stopWithParent is { } parent ? new Timer(_ => WatchParent(parent), null, 1000, 1000) : null;

        var replayBytes = trainer.ReplayBytesPerTransition;
        for (int g = 0; g < config.Games.Count; g++)
            log.Information("Replay {Game}: {Capacity:N0} transitions, {Bytes} bytes per transition ({Megabytes:F1} MB when full)",
                config.Games[g], config.Replay.CapacityPerGame, replayBytes[g], (double)config.Replay.CapacityPerGame * replayBytes[g] / 1e6);
        if (checkpoint is not null) _lastCheckpoint = trainer.FramesPerGame;
        _loss = new IntervalLoss(config.Games.Count, trainer.Updates);
        _clock.Start();
        if (live)
            AnsiConsole.Live(LiveView.Render(Progress(trainer, 0), run.Path)).AutoClear(false)
                .Start(ctx => Loop(trainer, p => { ctx.UpdateTarget(LiveView.Render(p, run.Path)); ctx.Refresh(); }));
        else
            Loop(trainer, null);

        if (trainer.FramesPerGame != _lastCheckpoint) Checkpoint(trainer);
        var name = CheckpointStore.CheckpointName(trainer.FramesPerGame);
        Say(_stopRequested != 0
            ? $"Interrupted at {trainer.FramesPerGame:N0} frames per game; checkpoint {name} written. Continue with: mtl train --resume {run.Path}"
            : $"Finished {trainer.FramesPerGame:N0} frames per game in {TrainingProgress.Duration(TimeSpan.FromSeconds(Wall))}; checkpoint {name} in {run.Path}");
        return 0;
    }

    void Loop(Trainer trainer, Action<TrainingProgress>? refresh)
    {
        var every = config.Run;
        var (rowFrames, rowTime) = (trainer.FramesPerGame, Wall);
        var (viewFrames, viewTime, viewRate) = (trainer.FramesPerGame, _clock.Elapsed, 0.0);
        while (trainer.FramesPerGame < config.Frames && _stopRequested == 0)
        {
            var before = trainer.FramesPerGame;
            try
            {
                trainer.Step();
            }
            catch (TrainingDivergedException e)
            {
                var last = run.Checkpoints.Latest() is { } dir ? Path.GetFileName(dir) : "none";
                throw new InvalidOperationException(
                    $"training diverged at {trainer.FramesPerGame:N0} frames per game: {e.Message}; the diverged state was not saved; last good checkpoint: {last}", e);
            }
            var after = trainer.FramesPerGame;

            if (Crossed(before, after, every.LogEveryFrames))
            {
                var rate = (after - rowFrames) * config.Games.Count / Math.Max(1e-9, Wall - rowTime);
                var progress = Progress(trainer, rate);
                progress = progress with { Snapshot = _loss.Close(progress.Snapshot) };
                _metrics.Append(progress.Snapshot, rate, Wall);
                log.Information("{Headline}", progress.Headline());
                foreach (var g in progress.Snapshot.Games) log.Information("{Game}", progress.GameLine(g));
                (rowFrames, rowTime) = (after, Wall);
            }
            if (every.EvalEveryFrames > 0 && Crossed(before, after, every.EvalEveryFrames)) Evaluate(trainer);
            if (Crossed(before, after, every.CheckpointEveryFrames) && after < config.Frames)
            {
                Checkpoint(trainer);
                _lastCheckpoint = after;
            }
            if (refresh is not null && _clock.Elapsed - viewTime >= RefreshInterval)
            {
                var instant = (after - viewFrames) * config.Games.Count / (_clock.Elapsed - viewTime).TotalSeconds;
                viewRate = viewRate == 0 ? instant : 0.7 * viewRate + 0.3 * instant;
                refresh(Progress(trainer, viewRate));
                (viewFrames, viewTime) = (after, _clock.Elapsed);
            }
        }
        refresh?.Invoke(Progress(trainer, viewRate));
    }

    // Evaluation seeds derive from the run's seed alone and the trainer's random streams are untouched, so an exact
    // resume stays exact.
    void Evaluate(Trainer trainer)
    {
        var options = new EvaluationOptions
        {
            Episodes = config.Run.EvalEpisodes, Epsilon = config.Run.EvalEpsilon,
            Seed = config.Seed, MaxEpisodeSteps = config.Run.EvalMaxEpisodeSteps,
        };
        var report = new Evaluator(trainer.Policy, CheckpointEnv.Options(config)).Evaluate(config.Games, options, null, trainer.FramesPerGame);
        _metrics.AppendEvaluation(report, options, Wall);
        log.Information("Evaluation at {Frames:N0} frames per game ({Episodes} episodes, epsilon {Epsilon}): worst {Worst} {WorstScore:F3}, median {Median:F3}, mean {Mean:F3}",
            trainer.FramesPerGame, options.Episodes, options.Epsilon, report.Worst.Env, report.Worst.NormalizedScore, report.MedianNormalizedScore, report.MeanNormalizedScore);
        foreach (var g in report.Games)
            log.Information("  eval {Game,-26} return {Return,8:F2} ± {Sem:F2} score {Score,6:F2} truncated {Truncated}", g.Env, g.ReturnMean, g.ReturnSem, g.NormalizedScore, g.Truncated);
    }

    Trainer Resume(string checkpoint)
    {
        var (trainer, wallSeconds) = TrainerCheckpoint.Load(checkpoint, config);
        _metrics.TruncateAfter(trainer.FramesPerGame);
        _wallOffset = wallSeconds;
        log.Information("Resumed from {Checkpoint} at {Frames:N0} frames per game ({Updates:N0} updates)", Path.GetFileName(checkpoint), trainer.FramesPerGame, trainer.Updates);
        return trainer;
    }

    void Checkpoint(Trainer trainer)
    {
        var clock = Stopwatch.StartNew();
        var dir = run.Checkpoints.Write(trainer.FramesPerGame, config.Run.KeepCheckpoints, temp => TrainerCheckpoint.Save(trainer, temp, Wall));
        var bytes = Directory.EnumerateFiles(dir).Sum(f => new FileInfo(f).Length);
        log.Information("Checkpoint {Checkpoint} ({Megabytes:F2} MB, written in {Seconds:F3} s)", Path.GetFileName(dir), bytes / 1e6, clock.Elapsed.TotalSeconds);
    }

    // Every snapshot goes through here: the trainer's loss means restart at each one.
    TrainingProgress Progress(Trainer trainer, double rate)
    {
        var snapshot = trainer.Snapshot();
        _loss.Add(snapshot);
        return new(snapshot, config.Frames, rate, Wall);
    }

    double Wall => _wallOffset + _clock.Elapsed.TotalSeconds;

    // A second signal is not cancelled, so it ends the process at once. One Ctrl+C or kill often arrives twice within
    // milliseconds (to the whole process group, then forwarded by a wrapper such as make as it dies): a repeat inside
    // DuplicateSignalWindow counts as the same request.
    void OnSignal(PosixSignalContext context)
    {
        lock (_signalLock)
        {
            if (_stopRequested != 0)
            {
                if (Stopwatch.GetElapsedTime(_firstSignal) < DuplicateSignalWindow) context.Cancel = true;
                return;
            }
            _firstSignal = Stopwatch.GetTimestamp();
            Interlocked.Exchange(ref _stopRequested, 1);
        }
        context.Cancel = true;
        Say($"{context.Signal} received: finishing the current step, then writing a checkpoint (send it again, 2 s or more later, to quit at once)");
    }

    void WatchParent(int pid)
    {
        bool gone;
        try { using var p = Process.GetProcessById(pid); gone = p.HasExited; }
        catch (ArgumentException) { gone = true; }
        if (gone && Interlocked.Exchange(ref _stopRequested, 1) == 0)
            Say($"the process that started this run (pid {pid}) is gone: finishing the current step, then writing a checkpoint");
    }

    // In live mode the console shows only the view, so messages meant for the user are printed as well as logged.
    void Say(string message)
    {
        log.Information("{Message}", message);
        if (live) AnsiConsole.WriteLine(message);
    }

    static bool Crossed(long before, long after, long every) => after / every > before / every;
}
