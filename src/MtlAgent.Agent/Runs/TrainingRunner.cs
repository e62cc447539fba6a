using System.Diagnostics;
using MtlAgent.Agent.Checkpoints;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Evaluation;
using MtlAgent.Agent.Learning;
using MtlAgent.Agent.Model;
using MtlAgent.Agent.Runs.TensorBoard;
using MtlAgent.Agent.Training;

namespace MtlAgent.Agent.Runs;

/// <summary>
/// The cadence of a run, one step at a time: after each step of the <see cref="ITrainingLoop"/>, a metrics row and
/// progress lines every <c>run.log_every_frames</c>, an evaluation of the live policy every <c>run.eval_every_frames</c>,
/// a checkpoint every <c>run.checkpoint_every_frames</c> (all in frames per game), and the final checkpoint in
/// <see cref="Finish"/>. Rows go to <c>metrics.jsonl</c> and, with <c>run.tensorboard</c>, to an event file of this
/// process (<see cref="TensorBoardLog"/>). A diverged loss stops the run without saving. The command line keeps the
/// screen and the signals.
/// </summary>
public sealed class TrainingRunner
{
    private readonly ITrainingLoop _loop;
    private readonly TrainConfig _config;
    private readonly RunDirectory _run;
    private readonly Action<string> _log;
    private readonly MetricsLog _metrics;
    private readonly Func<double> _seconds;
    private readonly double _wallOffset;
    private long _lastCheckpoint, _lastGradients;
    private TrainingSnapshot? _lastRow;
    private (long Frames, double Wall) _rowStart;

    /// <summary>
    /// A runner of <paramref name="loop"/> in <paramref name="run"/>, logging through <paramref name="log"/>.
    /// <paramref name="wallSeconds"/> is the training time before this process (from the checkpoint resumed);
    /// <paramref name="resumed"/> says the loop stands at a checkpoint already written. <paramref name="seconds"/> is the
    /// clock (seconds since the runner was made; a stopwatch unless a test gives its own).
    /// </summary>
    public TrainingRunner(ITrainingLoop loop, RunDirectory run, Action<string> log, double wallSeconds = 0, bool resumed = false,
        Func<double>? seconds = null)
    {
        _loop = loop;
        _config = loop.Config;
        _run = run;
        _log = log;
        var tensorBoard = _config.Run.Tensorboard ? new TensorBoardLog(run.Path) : null;
        tensorBoard?.Start(loop.FramesPerGame, resumed ? CheckpointStore.CheckpointName(loop.FramesPerGame) : null);
        _metrics = new MetricsLog(run.MetricsPath, tensorBoard);
        var clock = Stopwatch.StartNew();
        _seconds = seconds ?? (() => clock.Elapsed.TotalSeconds);
        _wallOffset = wallSeconds;
        _lastCheckpoint = resumed ? loop.FramesPerGame : -1;
        _lastRow = resumed ? loop.Snapshot() : null;
        _rowStart = (loop.FramesPerGame, WallSeconds);
        if (_config.Monitor.GradientEvery > 0 && _config.Games.Count > 1 && !_config.Network.SharesParameters())
            _log($"gradient conflicts: network.sharing {ConfigChoices.Name(_config.Network.Sharing)} shares no parameters " +
                "between games, so monitor.gradient_every measures nothing and no gradient rows are written");
        if (_config.Learner.LearningRateScaling == LearningRateScaling.Games)
            _log($"learning rate: {Optimizers.StepSize(_config, _config.Games.Count):g6} (learner.learning_rate " +
                $"{_config.Learner.LearningRate:g6} times the games each update averages; learner.learning_rate_scaling: games)");
        if (_config.Learner.LearningRateScaling == LearningRateScaling.PerGameParameters)
            _log($"learning rate: {_config.Learner.LearningRate:g6} on the shared parameters, times " +
                $"{Optimizers.AveragedGames(_config, _config.Games.Count)} (the games each update averages) on each game's own " +
                "parameters; learner.learning_rate_scaling: per_game_parameters");
    }

    /// <summary>Training time of the run so far, across resumes.</summary>
    public double WallSeconds => _wallOffset + _seconds();

    /// <summary>Whether the frame budget is spent.</summary>
    public bool Done => _loop.FramesPerGame >= _config.Frames;

    /// <summary>One step of the loop, then the metrics row, evaluation and checkpoint that are due.</summary>
    public void Step()
    {
        long before = _loop.FramesPerGame;
        try
        {
            _loop.Step();
        }
        catch (TrainingDivergedException e)
        {
            var last = _run.Checkpoints.Latest() is { } dir ? Path.GetFileName(dir) : "none";
            throw new InvalidOperationException(
                $"training diverged at {_loop.FramesPerGame:N0} frames per game: " +
                $"{e.Message}; the diverged state was not saved; last good checkpoint: {last}", e);
        }
        long after = _loop.FramesPerGame;
        if (_loop.Gradients is { } gradients && gradients.Updates > _lastGradients)
        {
            _metrics.AppendGradients(gradients, after, WallSeconds);
            _lastGradients = gradients.Updates;
        }
        var every = _config.Run;
        if (Crossed(before, after, every.LogEveryFrames)) WriteRow();
        if (every.EvalEveryFrames > 0 && Crossed(before, after, every.EvalEveryFrames)) Evaluate();
        if (Crossed(before, after, every.CheckpointEveryFrames) && after < _config.Frames) Checkpoint();
    }

    /// <summary>Writes the final checkpoint unless the latest one is at the current frames; returns the checkpoint's name.</summary>
    public string Finish()
    {
        if (_loop.FramesPerGame != _lastCheckpoint) Checkpoint();
        return CheckpointStore.CheckpointName(_loop.FramesPerGame);
    }

    /// <summary>
    /// Where the run stands now, at <paramref name="framesPerSecond"/> (for views), with losses since the last metrics row.
    /// </summary>
    public TrainingProgress Progress(double framesPerSecond)
    {
        var s = _loop.Snapshot();
        return new TrainingProgress(s, s.LossesSince(_lastRow), _config.Frames, framesPerSecond, WallSeconds)
        {
            Gradients = _loop.Gradients,
        };
    }

    private void WriteRow()
    {
        var (frames, wall) = (_loop.FramesPerGame, WallSeconds);
        double rate = (frames - _rowStart.Frames) * _config.Games.Count / Math.Max(1e-9, wall - _rowStart.Wall);
        var progress = Progress(rate);
        _metrics.Append(progress.Snapshot, _lastRow, rate, wall);
        _log(progress.Headline());
        for (int g = 0; g < progress.Snapshot.Games.Count; g++) _log(progress.GameLine(g));
        if (progress.GradientLine() is { } line) _log(line);
        _lastRow = progress.Snapshot;
        _rowStart = (frames, wall);
    }

    // Evaluation seeds derive from the run's seed alone and the loop's random streams are untouched, so an exact
    // resume stays exact.
    private void Evaluate()
    {
        var options = new EvaluationOptions
        {
            Episodes = _config.Run.EvalEpisodes, Epsilon = _config.Run.EvalEpsilon,
            Seed = _config.Seed, MaxEpisodeSteps = _config.Run.EvalMaxEpisodeSteps,
        };
        var report = new Evaluator(_loop.Policy, CheckpointEnv.Options(_config))
            .Evaluate(_config.Games, options, null, _loop.FramesPerGame);
        _metrics.AppendEvaluation(report, options, WallSeconds);
        _log(FormattableString.Invariant(
            $"Evaluation at {_loop.FramesPerGame:N0} frames per game ({options.Episodes} episodes, epsilon {options.Epsilon}): worst {
                report.Worst.Env} {report.Worst.NormalizedScore:F3}, median {report.MedianNormalizedScore:F3}, mean {
                report.MeanNormalizedScore:F3}"));
        foreach (var g in report.Games)
            _log(FormattableString.Invariant($"  eval {g.Env,-26} return {g.ReturnMean,8:F2} ± {g.ReturnSem:F2} score {
                g.NormalizedScore,6:F2} truncated {g.Truncated}"));
    }

    private void Checkpoint()
    {
        var clock = Stopwatch.StartNew();
        var dir = _run.Checkpoints.Write(_loop.FramesPerGame, _config.Run.KeepCheckpoints, temp => _loop.SaveCheckpoint(temp, WallSeconds));
        var bytes = Directory.EnumerateFiles(dir).Sum(f => new FileInfo(f).Length);
        _log(FormattableString.Invariant(
            $"Checkpoint {Path.GetFileName(dir)} ({bytes / 1e6:F2} MB, written in {clock.Elapsed.TotalSeconds:F3} s)"));
        _lastCheckpoint = _loop.FramesPerGame;
    }

    private static bool Crossed(long before, long after, long every) => after / every > before / every;
}
