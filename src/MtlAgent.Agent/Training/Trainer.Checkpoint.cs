using System.Text.Json;
using MtlAgent.Agent.Checkpoints;
using MtlAgent.Agent.Configuration;
using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Training;

public sealed partial class Trainer
{
    /// <summary>
    /// Writes a checkpoint into the existing empty <paramref name="directory"/>: model.safetensors (online and target
    /// weights, PopArt statistics), optimizer.safetensors, state.json (counters, RNG and environment states, monitor,
    /// config) and replay-&lt;game&gt;.bin files. Each file is written to a temporary name and renamed.
    /// </summary>
    public void SaveCheckpoint(string directory)
    {
        if (!Directory.Exists(directory)) throw new CheckpointException($"checkpoint directory '{directory}' does not exist");
        if (Directory.EnumerateFileSystemEntries(directory).Any()) throw new CheckpointException($"checkpoint directory '{directory}' is not empty");
        using var scope = NewDisposeScope();
        var moments = _learner.PopArt.GetState();
        TensorFile.Write(Path.Combine(directory, CheckpointFiles.Model),
            TensorFile.Named(_learner.Online, "online.").Concat(TensorFile.Named(_learner.Target, "target.")));
        TensorFile.Write(Path.Combine(directory, CheckpointFiles.Optimizer), _learner.Optimizer.NamedState());

        if (Config.Replay.SaveInCheckpoints)
            for (int g = 0; g < _replays.Length; g++)
                CheckpointFiles.WriteAtomically(Path.Combine(directory, CheckpointFiles.Replay(g)), _replays[g].Save);

        var state = new TrainerState
        {
            Games = Config.Games,
            FramesPerGame = FramesPerGame,
            Updates = Updates,
            Steps = _steps,
            Epsilon = Epsilon,
            ActingRng = _actingRng.GetState(),
            ReplayRng = _replayRng.GetState(),
            EnvStates = _envs.Select(e => Convert.ToBase64String(e.GetState())).ToArray(),
            EpisodeReturns = _episodeReturn.ToArray(),
            PopArt = moments,
            Monitor = _monitor.GetState(),
            ReplaySaved = Config.Replay.SaveInCheckpoints,
            Config = Config,
        };
        // state.json goes last: a directory without it is not a checkpoint.
        CheckpointFiles.WriteAtomically(Path.Combine(directory, CheckpointFiles.State),
            s => JsonSerializer.Serialize(s, state, CheckpointFiles.Json));
    }

    /// <summary>
    /// Resumes the run saved in <paramref name="directory"/> with <paramref name="config"/> (which may change budgets and
    /// cadences, not the games or the network). Continuing gives bitwise the same weights as a run never interrupted.
    /// Throws <see cref="CheckpointException"/> saying what is missing, corrupt or different.
    /// </summary>
    public static Trainer LoadCheckpoint(string directory, TrainConfig config)
    {
        var state = CheckpointFiles.ReadState(directory);
        CheckCompatible(state.Config, config, directory);
        var trainer = new Trainer(config);
        try
        {
            trainer.Restore(directory, state);
            return trainer;
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
    }

    private static void CheckCompatible(TrainConfig saved, TrainConfig config, string directory)
    {
        if (!saved.Games.SequenceEqual(config.Games))
            throw new CheckpointException($"checkpoint '{directory}' was trained on games [{string.Join(", ", saved.Games)}], the config asks for [{string.Join(", ", config.Games)}]");
        var (a, b) = (saved.Network, config.Network);
        if (!a.ConvChannels.SequenceEqual(b.ConvChannels) || a.Hidden != b.Hidden || a.TaskConditioning != b.TaskConditioning)
            throw new CheckpointException($"checkpoint '{directory}' has network conv_channels [{string.Join(", ", a.ConvChannels)}], hidden {a.Hidden}, " +
                $"task_conditioning {a.TaskConditioning}; the config asks for [{string.Join(", ", b.ConvChannels)}], {b.Hidden}, {b.TaskConditioning}");
        if (saved.Env.EnvsPerGame != config.Env.EnvsPerGame)
            throw new CheckpointException($"checkpoint '{directory}' has env.envs_per_game {saved.Env.EnvsPerGame}, the config asks for {config.Env.EnvsPerGame}");
        if (saved.Replay.CapacityPerGame != config.Replay.CapacityPerGame)
            throw new CheckpointException($"checkpoint '{directory}' has replay.capacity_per_game {saved.Replay.CapacityPerGame}, the config asks for {config.Replay.CapacityPerGame}");
    }

    private void Restore(string directory, TrainerState state)
    {
        using var scope = NewDisposeScope();
        string modelPath = Path.Combine(directory, CheckpointFiles.Model), optimizerPath = Path.Combine(directory, CheckpointFiles.Optimizer);
        var model = TensorFile.Read(modelPath);
        TensorFile.CopyInto(_learner.Online, "online.", model, modelPath);
        TensorFile.CopyInto(_learner.Target, "target.", model, modelPath);
        var optimizer = TensorFile.Read(optimizerPath);
        try { _learner.Optimizer.LoadState(optimizer); }
        catch (ArgumentException e)
        {
            throw new CheckpointException($"{optimizerPath} does not match the optimizer ({Config.Learner.Optimizer}): {e.Message}", e);
        }

        int k = _specs.Length;
        Check(state.EnvStates.Count == _envs.Length && state.EpisodeReturns.Count == _envs.Length, $"has {state.EnvStates.Count} environment states, expected {_envs.Length}");
        Check(state.PopArt.Count == k && state.Monitor.Count == k, "has PopArt or monitor state for a different number of games");
        FramesPerGame = state.FramesPerGame;
        _steps = state.Steps;
        _learner.Updates = state.Updates;
        _learner.PopArt.SetState(state.PopArt);
        _actingRng.SetState(state.ActingRng);
        _replayRng.SetState(state.ReplayRng);
        _monitor.SetState(state.Monitor, state.FramesPerGame);
        for (int row = 0; row < _envs.Length; row++)
        {
            try { _envs[row].SetState(Convert.FromBase64String(state.EnvStates[row])); }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidDataException)
            {
                throw new CheckpointException($"{Path.Combine(directory, CheckpointFiles.State)}: environment state {row} ({Config.Games[row / Config.Env.EnvsPerGame]}) is corrupt: {e.Message}", e);
            }
            _envs[row].WriteObservation(_current[row]);
            _episodeReturn[row] = state.EpisodeReturns[row];
        }
        for (int g = 0; g < k; g++)
        {
            string path = Path.Combine(directory, CheckpointFiles.Replay(g));
            if (state.ReplaySaved)
            {
                if (!File.Exists(path)) throw new CheckpointException($"checkpoint file {path} is missing");
                try
                {
                    using var stream = File.OpenRead(path);
                    _replays[g].Load(stream, path);
                }
                catch (InvalidDataException e) { throw new CheckpointException(e.Message, e); }
            }
            else
            {
                // Without saved replay the run goes on from an empty buffer (not an exact resume).
                _replays[g] = new Replay.ReplayBuffer(Config.Replay.CapacityPerGame, _specs[g].Channels, Config.Env.EnvsPerGame);
                for (int e = 0; e < Config.Env.EnvsPerGame; e++) _replays[g].BeginEpisode(e, _current[g * Config.Env.EnvsPerGame + e]);
            }
        }

        void Check(bool ok, string what)
        {
            if (!ok) throw new CheckpointException($"{Path.Combine(directory, CheckpointFiles.State)} {what}");
        }
    }
}
