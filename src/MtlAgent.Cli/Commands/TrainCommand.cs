using System.CommandLine;
using System.Globalization;
using MtlAgent.Agent.Checkpoints;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Runs;
using MtlAgent.Agent.Runs.TensorBoard;
using MtlAgent.Cli.Training;
using Serilog;

namespace MtlAgent.Cli.Commands;

/// <summary><c>mtl train</c>: a multi-game training run with presets, live progress, logs, metrics, checkpoints and exact resume.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var preset = new Option<string?>("--preset")
        {
            Description = $"Preset to start from: {string.Join(", ", Presets.Names)} (default {Presets.Default}; see README, Presets)",
            HelpName = "NAME",
        };
        var config = new Option<string?>("--config")
        {
            HelpName = "FILE",
            Description = "YAML file of settings over the preset (snake_case keys, e.g. learner: {learning_rate: 0.0001})",
        };
        var set = SetOption.Create(
            "Override one setting by dotted key, e.g. --set learner.learning_rate=0.0001 (repeatable; value read as YAML)");
        var games = new Option<string?>("--games")
        {
            HelpName = "LIST", Description = "Comma-separated game ids, e.g. MinAtar/Breakout-v0,MinAtar/Freeway-v0 (see `mtl envs`)",
        };
        var frames = new Option<long?>("--frames")
        {
            HelpName = "N", Description = "Frames per game for the whole run (with --resume: the new total)",
        };
        var seed = new Option<int?>("--seed")
        {
            HelpName = "S", Description = "Master seed of environments, exploration, replay and initialisation",
        };
        var device = new Option<string?>("--device") { Description = "Compute device: cpu or cuda" };
        device.AcceptOnlyFromAmong([.. ConfigValidator.Devices]);
        var runDir = new Option<string?>("--run-dir")
        {
            HelpName = "DIR", Description = "Run directory (default checkpoints/<preset>-<UTC time>)",
        };
        var resume = new Option<string?>("--resume")
        {
            HelpName = "DIR", Description = "Continue the run in this directory from its latest checkpoint",
        };
        var checkpointEvery = new Option<long?>("--checkpoint-every")
        {
            HelpName = "FRAMES", Description = "Frames per game between checkpoints (run.checkpoint_every_frames)",
        };
        // For mtl study: the run checkpoints and stops when the study process that started it is gone (even after a kill -9).
        var stopWithParent = new Option<int?>("--stop-with-parent") { Hidden = true };

        var command = new Command("train", "Train one agent on several games at once; Ctrl+C writes a checkpoint and stops");
        foreach (var o in new Option[]
            { preset, config, set, games, frames, seed, device, runDir, resume, checkpointEvery, stopWithParent })
            command.Options.Add(o);
        command.SetAction(parse => Run(new TrainOptions(
            parse.GetValue(preset), parse.GetValue(config), parse.GetValue(set) ?? [], parse.GetValue(games), parse.GetValue(frames),
            parse.GetValue(seed), parse.GetValue(device), parse.GetValue(runDir), parse.GetValue(resume), parse.GetValue(checkpointEvery),
            parse.GetValue(stopWithParent))));
        return command;
    }

    private static int Run(TrainOptions o)
    {
        var (config, run, resuming) = Prepare(o);
        Directory.CreateDirectory(run.Path);
        // Held until the process ends: a second mtl train on this directory is refused before it changes anything.
        using var runLock = run.Lock();
        var checkpoint = resuming ? PrepareResume(run) : null;
        if (checkpoint is not null && CheckpointStore.FramesOf(checkpoint) >= config.Frames)
        {
            Console.WriteLine($"Nothing to do: {run.Path} is at {CheckpointStore.FramesOf(checkpoint):N0}" +
                $" frames per game and --frames asks for {config.Frames:N0}");
            return 0;
        }
        var live = LiveView.Available;
        var logConfig = new LoggerConfiguration().MinimumLevel.Information()
            .WriteTo.File(run.LogPath,
                outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {Message:lj}{NewLine}{Exception}",
                formatProvider: CultureInfo.InvariantCulture);
        if (!live)
            logConfig = logConfig.WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss} {Message:lj}{NewLine}",
                formatProvider: CultureInfo.InvariantCulture);
        using var log = logConfig.CreateLogger();

        log.Information("{Action} run {Run}", checkpoint is null ? "Starting" : "Resuming", run.Path);
        log.Information("Resolved config (also in {File}):\n{Config}", Path.GetFileName(run.ConfigPath),
            ConfigYaml.Write(config).TrimEnd());
        if (live)
            Console.WriteLine($"Training {string.Join(", ", config.Games)} for {config.Frames:N0} frames per game in {run.Path} (log: " +
                $"{run.LogPath})");
        try
        {
            return new TrainingSession(config, run, log, live, o.StopWithParent).Run(checkpoint);
        }
        catch (Exception e)
        {
            // The console gets the one-line error from CliErrors; the log keeps the details.
            log.Error(e, "Training stopped: {Message}", e.Message);
            throw;
        }
    }

    /// <summary>
    /// Resolves the config and the run directory; refuses conflicting options, occupied run directories and incompatible resumes.
    /// </summary>
    private static (TrainConfig Config, RunDirectory Run, bool Resuming) Prepare(TrainOptions o)
    {
        var builder = new ConfigBuilder();
        RunDirectory run;
        TrainConfig? saved = null;
        if (o.Resume is { } resumeDir)
        {
            if (o.Preset is not null)
                throw new ArgumentException("--preset cannot be combined with --resume: a resumed run keeps its own config.yaml");
            if (o.RunDir is not null)
                throw new ArgumentException("--run-dir cannot be combined with --resume: the run directory is the one being resumed");
            run = new RunDirectory(resumeDir);
            if (!File.Exists(run.ConfigPath))
                throw new ArgumentException(
                    $"'{resumeDir}' holds no run to resume (no config.yaml); start one with: mtl train --run-dir {resumeDir}");
            builder.AddFile(run.ConfigPath);
            saved = new ConfigBuilder().AddFile(run.ConfigPath).Build();
        }
        else
        {
            builder.AddPreset(o.Preset ?? Presets.Default);
            var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
            run = new RunDirectory(o.RunDir ?? Path.Combine("checkpoints", $"{o.Preset ?? Presets.Default}-{stamp}"));
            if (run.HoldsRun)
                throw new ArgumentException(
                    $"run directory '{run.Path}' already holds a run; continue it with --resume {run.Path}, or choose another --run-dir");
        }
        if (o.ConfigFile is not null) builder.AddFile(o.ConfigFile);
        foreach (var assignment in o.Sets) builder.Set(assignment);
        if (o.Games is not null)
            builder.SetList("games", o.Games.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), "--games");
        if (o.Frames is { } f) builder.Set("frames", f.ToString(CultureInfo.InvariantCulture), "--frames");
        if (o.Seed is { } s) builder.Set("seed", s.ToString(CultureInfo.InvariantCulture), "--seed");
        if (o.Device is { } d) builder.Set("device", d, "--device");
        if (o.CheckpointEvery is { } c)
            builder.Set("run.checkpoint_every_frames", c.ToString(CultureInfo.InvariantCulture), "--checkpoint-every");
        var config = builder.Build();

        if (saved is not null) ResumeRules.Check(saved, config, run.Path);
        return (config, run, saved is not null);
    }

    /// <summary>Removes what an interrupted run left behind; returns the checkpoint to resume from (null: start over).</summary>
    private static string? PrepareResume(RunDirectory run)
    {
        run.Checkpoints.CleanStaleTemporaries();
        var checkpoint = run.Checkpoints.Latest();
        run.Checkpoints.DiscardCheckpointsAfter(checkpoint is null ? -1 : CheckpointStore.FramesOf(checkpoint));
        // A run killed before its first checkpoint starts over; its metrics rows and events would otherwise repeat.
        if (checkpoint is null)
        {
            new MetricsLog(run.MetricsPath).TruncateAfter(0);
            new TensorBoardLog(run.Path).TruncateAfter(0);
        }
        return checkpoint;
    }

    private sealed record TrainOptions(string? Preset, string? ConfigFile, string[] Sets, string? Games, long? Frames, int? Seed,
        string? Device, string? RunDir, string? Resume, long? CheckpointEvery, int? StopWithParent);
}
