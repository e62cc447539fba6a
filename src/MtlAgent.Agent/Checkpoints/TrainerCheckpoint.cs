using MessagePack;
using MtlAgent.Agent.Checkpoints.Contracts;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Engine;
using MtlAgent.Agent.Learning;
using MtlAgent.Agent.Monitoring;
using MtlAgent.Agent.Replay;
using MtlAgent.Agent.Tasks;
using MtlAgent.Agent.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Checkpoints;

/// <summary>
/// Saves a trainer into a checkpoint directory and loads one back, bitwise exactly (format: README.md in this folder).
/// </summary>
public static class TrainerCheckpoint
{
    /// <summary>
    /// Writes the checkpoint of <paramref name="trainer"/> into the existing empty <paramref name="directory"/>, the
    /// manifest last. <paramref name="wallSeconds"/> is the run's training time so far, kept for the resumed run's clock.
    /// </summary>
    public static CheckpointManifest Save(Trainer trainer, string directory, double wallSeconds)
    {
        if (!Directory.Exists(directory)) throw new CheckpointException($"checkpoint directory '{directory}' does not exist");
        if (Directory.EnumerateFileSystemEntries(directory).Any())
            throw new CheckpointException($"checkpoint directory '{directory}' is not empty");
        var config = trainer.Config;
        var learner = trainer.Learner;
        var files = new List<string>();
        void Write(string name, Action<string> write) { write(Path.Combine(directory, name)); files.Add(name); }

        Write(CheckpointFormat.Config, path => File.WriteAllText(path, ConfigYaml.Write(config)));
        using (var scope = NewDisposeScope())
        {
            var moments = learner.PopArt.GetState();
            var popArt = new[]
            {
                (CheckpointFormat.PopArtMu, tensor(moments.Select(m => m.Mu).ToArray(), ScalarType.Float64)),
                (CheckpointFormat.PopArtNu, tensor(moments.Select(m => m.Nu).ToArray(), ScalarType.Float64)),
            };
            Write(CheckpointFormat.Model, path => TensorFile.Write(path,
                TensorFile.Named(learner.Online, CheckpointFormat.OnlinePrefix)
                    .Concat(TensorFile.Named(learner.Target, CheckpointFormat.TargetPrefix))
                    .Concat(popArt)));
            Write(CheckpointFormat.Optimizer, path => TensorFile.Write(path, learner.Optimizer.NamedState()));
        }
        var progress = trainer.CaptureProgress();
        Write(CheckpointFormat.Trainer, path => WriteMessagePack(path, ToContract(progress, wallSeconds)));
        if (config.Replay.SaveInCheckpoints)
            for (int g = 0; g < trainer.Replays.Count; g++)
                Write(CheckpointFormat.Replay(g), path => WriteMessagePack(path, ToContract(trainer.Replays[g].Export())));
        return CheckpointManifest.Write(directory, trainer.FramesPerGame, trainer.Updates, config.Games, files);
    }

    /// <summary>
    /// Resumes the run saved in <paramref name="directory"/> with <paramref name="config"/>, which may differ from the
    /// saved one only as <see cref="ResumeRules"/> allows. Continuing gives bitwise the same weights as a run never
    /// interrupted. Throws <see cref="CheckpointException"/> saying what is missing, corrupt, of another schema or different.
    /// </summary>
    public static (Trainer Trainer, double WallSeconds) Load(string directory, TrainConfig config)
    {
        if (!File.Exists(Path.Combine(directory, CheckpointFormat.Manifest))
            && File.Exists(Path.Combine(directory, CheckpointFormat.LegacyState)))
            throw new CheckpointException(
                $"checkpoint '{directory}' has schema {CheckpointFormat.LegacySchema} (written by a build before the TorchSharp engine); " +
                $"this build resumes schema {CheckpointFormat.Schema}" +
                $" only. It can still be evaluated and replayed (mtl eval, mtl replay); start a new run to train further");
        var manifest = CheckpointManifest.Read(directory);
        if (manifest.Schema != CheckpointFormat.Schema)
            throw new CheckpointException(
                $"checkpoint '{directory}' has schema {manifest.Schema}; this build resumes schema {CheckpointFormat.Schema}");
        manifest.VerifyAll(directory);
        var saved = ReadConfig(directory);
        ResumeRules.Check(saved, config, $"checkpoint '{directory}'");

        var trainer = new Trainer(config);
        try
        {
            var wall = Restore(trainer, directory, manifest);
            return (trainer, wall);
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
    }

    /// <summary>The configuration saved in a schema-2 checkpoint.</summary>
    public static TrainConfig ReadConfig(string directory)
    {
        string path = Path.Combine(directory, CheckpointFormat.Config);
        try { return new ConfigBuilder().AddFile(path).Build(); }
        catch (ConfigException e) { throw new CheckpointException($"{path} is not a valid configuration: {e.Message}", e); }
    }

    /// <summary>
    /// Restores <paramref name="optimizer"/> from <paramref name="path"/>; a mismatch is a <see cref="CheckpointException"/>.
    /// </summary>
    internal static void LoadOptimizer(IFlatOptimizer optimizer, string path, TrainConfig config)
    {
        try { optimizer.LoadState(TensorFile.Read(path)); }
        catch (ArgumentException e)
        {
            throw new CheckpointException($"{path} does not match the optimizer ({config.Learner.Optimizer}): {e.Message}", e);
        }
    }

    private static double Restore(Trainer trainer, string directory, CheckpointManifest manifest)
    {
        var learner = trainer.Learner;
        using (var scope = NewDisposeScope())
        {
            string modelPath = Path.Combine(directory, CheckpointFormat.Model),
                optimizerPath = Path.Combine(directory, CheckpointFormat.Optimizer);
            var model = TensorFile.Read(modelPath);
            TensorFile.CopyInto(learner.Online, CheckpointFormat.OnlinePrefix, model, modelPath, learner.Online.Design);
            TensorFile.CopyInto(learner.Target, CheckpointFormat.TargetPrefix, model, modelPath, learner.Target.Design);
            learner.PopArt.SetState(ReadPopArt(model, trainer.Config.Games.Count, modelPath));
            LoadOptimizer(learner.Optimizer, optimizerPath, trainer.Config);
        }

        string statePath = Path.Combine(directory, CheckpointFormat.Trainer);
        // A state holds a few hundred bytes per environment; the cap only has to stop a hostile file.
        var state = ReadMessagePack<TrainerStateContract>(statePath,
            maxBytes: (16L << 20) + (long)trainer.Config.Games.Count * trainer.Config.Env.EnvsPerGame * (64L << 10));
        try { trainer.RestoreProgress(FromContract(state)); }
        catch (Exception e) when (e is ArgumentException or InvalidDataException)
        {
            throw new CheckpointException($"{statePath}: {e.Message}", e);
        }

        var replayFiles = Enumerable.Range(0, trainer.Replays.Count).Select(CheckpointFormat.Replay).ToArray();
        if (replayFiles.Any(manifest.Files.ContainsKey))
        {
            for (int g = 0; g < replayFiles.Length; g++)
            {
                string path = Path.Combine(directory, replayFiles[g]);
                if (!manifest.Files.ContainsKey(replayFiles[g]))
                    throw new CheckpointException($"checkpoint '{directory}' lacks {replayFiles[g]} (its other replays are there)");
                var expected = trainer.Replays[g];
                var replay = ReadMessagePack<ReplayContract>(path,
                    maxBytes: (long)expected.Capacity * expected.BytesPerTransition + (1L << 20));
                try { trainer.Replays[g].Import(FromContract(replay)); }
                catch (InvalidDataException e) { throw new CheckpointException($"{path}: {e.Message}", e); }
            }
        }
        else
        {
            trainer.RestartReplays(); // saved without replays: the run goes on from empty buffers (not an exact resume)
        }
        return state.WallSeconds;
    }

    /// <summary>PopArt moments of a model file (one F64 entry per game of <c>popart.mu</c> and <c>popart.nu</c>).</summary>
    public static IReadOnlyList<PopArtMoments> ReadPopArt(IReadOnlyDictionary<string, Tensor> model, int games, string file)
    {
        double[] Values(string name)
        {
            if (!model.TryGetValue(name, out var t)) throw new CheckpointException($"{file} lacks tensor '{name}'");
            if (t.dtype != ScalarType.Float64 || t.shape.Length != 1 || t.shape[0] != games)
                throw new CheckpointException($"{file}: tensor '{name}' should be F64 with {games} entries, one per game");
            using var values = t.data<double>();
            return values.ToArray();
        }
        var (mu, nu) = (Values(CheckpointFormat.PopArtMu), Values(CheckpointFormat.PopArtNu));
        return mu.Select((m, g) => new PopArtMoments(m, nu[g])).ToArray();
    }

    private static void WriteMessagePack<T>(string path, T value)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        MessagePackSerializer.Serialize(stream, value, CheckpointFormat.MessagePack);
    }

    /// <summary>
    /// Decodes <paramref name="path"/> with the untrusted-data safeguards and LZ4's decompressed size capped at
    /// <paramref name="maxBytes"/> (what this checkpoint's shape can hold), so a hostile file cannot claim more memory.
    /// </summary>
    private static T ReadMessagePack<T>(string path, long maxBytes) where T : class
    {
        if (!File.Exists(path)) throw new CheckpointException($"checkpoint file {path} is missing");
        long length = new FileInfo(path).Length;
        if (length > maxBytes)
            throw new CheckpointException($"{path} is {length:N0} bytes, more than this checkpoint's shape can hold ({maxBytes:N0})");
        var options = CheckpointFormat.MessagePack.WithSecurity(
            CheckpointFormat.MessagePack.Security.WithMaximumDecompressedSize((int)Math.Min(maxBytes, int.MaxValue)));
        try
        {
            using var stream = File.OpenRead(path);
            return MessagePackSerializer.Deserialize<T>(stream, options)
                ?? throw new CheckpointException($"{path} is corrupt: it holds nil");
        }
        catch (MessagePackSerializationException e)
        {
            throw new CheckpointException($"{path} is corrupt or truncated: {e.InnerException?.Message ?? e.Message}", e);
        }
    }

    private static TrainerStateContract ToContract(TrainerProgress p, double wallSeconds) => new()
    {
        Schema = CheckpointFormat.Schema,
        FramesPerGame = p.FramesPerGame,
        Updates = p.Updates,
        Steps = p.Steps,
        ActingRng = p.ActingRng.ToArray(),
        ReplayRng = p.ReplayRng.ToArray(),
        EnvStates = p.EnvStates.ToArray(),
        EpisodeReturns = p.EpisodeReturns.ToArray(),
        Monitor = p.Monitor.Select(m => new GameMonitorContract
        {
            Episodes = m.Episodes, RecentReturns = m.RecentReturns.ToArray(), BestScore = m.BestScore, BestFrame = m.BestFrame,
        }).ToArray(),
        WallSeconds = wallSeconds,
        TaskWeighting = p.TaskWeighting is { } w
            ? new LearnedWeightingContract
            {
                Values = w.Values.ToArray(), InitialLosses = w.InitialLosses.ToArray(), AdamFirst = w.AdamFirst.ToArray(),
                AdamSecond = w.AdamSecond.ToArray(), AdamSteps = w.AdamSteps.ToArray(),
            }
            : null,
    };

    private static TrainerProgress FromContract(TrainerStateContract c)
    {
        if (c.Schema != CheckpointFormat.Schema) throw new InvalidDataException($"schema {c.Schema}, expected {CheckpointFormat.Schema}");
        // MessagePack leaves absent members null, required or not.
        if (c.ActingRng is null || c.ReplayRng is null || c.EnvStates is null || c.EpisodeReturns is null || c.Monitor is null
            || c.EnvStates.Any(e => e is null) || c.Monitor.Any(m => m is null || m.RecentReturns is null))
            throw new InvalidDataException("a member is missing");
        var w = c.TaskWeighting;
        if (w is not null && (w.Values is null || w.InitialLosses is null || w.AdamFirst is null || w.AdamSecond is null
            || w.AdamSteps is null))
            throw new InvalidDataException("a member of the task-weighting state is missing");
        return new(c.FramesPerGame, c.Updates, c.Steps, c.ActingRng, c.ReplayRng, c.EnvStates, c.EpisodeReturns,
            c.Monitor.Select(m => new GameMonitorState(m.Episodes, m.RecentReturns, m.BestScore, m.BestFrame)).ToArray(),
            w is null ? null : new LearnedWeightingState(w.Values, w.InitialLosses, w.AdamFirst, w.AdamSecond, w.AdamSteps));
    }

    private static ReplayContract ToContract(ReplayContents r) => new()
    {
        Schema = CheckpointFormat.Schema,
        Streams = r.Streams, SlotsPerStream = r.SlotsPerStream, Channels = r.Channels, Count = r.Count,
        Heads = r.Heads, Filled = r.Filled, Open = r.Open,
        Observations = r.Observations, Actions = r.Actions,
        Rewards = System.Runtime.InteropServices.MemoryMarshal.AsBytes(r.Rewards.AsSpan()).ToArray(),
        Flags = r.Flags,
    };

    private static ReplayContents FromContract(ReplayContract c)
    {
        if (c.Schema != CheckpointFormat.Schema) throw new InvalidDataException($"schema {c.Schema}, expected {CheckpointFormat.Schema}");
        if (c.Heads is null || c.Filled is null || c.Open is null || c.Observations is null || c.Actions is null || c.Rewards is null
            || c.Flags is null)
            throw new InvalidDataException("a member is missing");
        if (c.Rewards.Length % sizeof(float) != 0)
            throw new InvalidDataException($"rewards take {c.Rewards.Length} bytes, not a whole number of floats");
        return new(c.Streams, c.SlotsPerStream, c.Channels, c.Count, c.Heads, c.Filled, c.Open, c.Observations, c.Actions,
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(c.Rewards).ToArray(), c.Flags);
    }
}
