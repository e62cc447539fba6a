using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Randomness;
using MtlAgent.Agent.Replay;

namespace MtlAgent.Agent.Tests.Support;

/// <summary>A fresh temporary directory, removed afterwards.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("mtl-agent-test-").FullName;
    public string Sub(string name) => Directory.CreateDirectory(System.IO.Path.Combine(Path, name)).FullName;
    public void Dispose() { try { Directory.Delete(Path, recursive: true); } catch (IOException) { } }
}

/// <summary>Floats equal within a relative tolerance (absolute below 1).</summary>
public sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
{
    public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance * Math.Max(1, Math.Abs(x));
    public int GetHashCode(float obj) => 0;
}

/// <summary>Doubles equal within an absolute tolerance.</summary>
public sealed class DoubleTolerance(double tolerance) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
    public int GetHashCode(double obj) => 0;
}

/// <summary>Small configurations and replays the tests share.</summary>
public static class Configs
{
    /// <summary>Two games, small network and buffers, fast cadence: every mechanism runs within a few hundred steps.</summary>
    public static TrainConfig Tiny(TaskConditioning conditioning = TaskConditioning.Concat, bool popArt = true, bool doubleDqn = true,
        int envsPerGame = 1) => new()
    {
        Games = ["MinAtar/Breakout-v1", "MinAtar/Asterix-v1"],
        Seed = 7,
        TorchThreads = 1,
        Env = new EnvConfig { EnvsPerGame = envsPerGame },
        Network = new NetworkConfig { ConvChannels = [8], Hidden = 32, TaskConditioning = conditioning },
        Replay = new ReplayConfig { CapacityPerGame = 300, BatchPerGame = 8 },
        Learner = new LearnerConfig
        {
            LearningStarts = 60, UpdatePeriod = 2, TargetUpdatePeriod = 7, DoubleDqn = doubleDqn, MaxGradNorm = 10,
        },
        Exploration = new ExplorationConfig { RandomFrames = 40, DecayFrames = 100 },
        PopArt = new PopArtConfig { Enabled = popArt, Beta = 0.01 },
        Tasks = new TaskConfig { Weighting = Weighting.WorstCase },
        Monitor = new MonitorConfig { ReturnWindow = 5 },
    };

    /// <summary>A small network without task conditioning.</summary>
    public static readonly NetworkConfig SmallNet = new() { ConvChannels = [8], Hidden = 32, TaskConditioning = TaskConditioning.None };

    /// <summary>Random 0/1 boards of <paramref name="channels"/> channels, about a quarter lit.</summary>
    public static byte[] RandomObs(Xoshiro256 rng, int channels) =>
        Enumerable.Range(0, channels * 100).Select(_ => (byte)(rng.NextInt(4) == 0 ? 1 : 0)).ToArray();

    /// <summary>A board with one lit cell.</summary>
    public static byte[] OneHotObs(int cell, int channels = 1) { var o = new byte[channels * 100]; o[cell] = 1; return o; }

    /// <summary>A 4-channel replay of 200 random transitions over 3 actions, rewards scaled by <paramref name="rewardScale"/>.</summary>
    public static ReplayBuffer RandomReplay(int seed, float rewardScale, bool terminalOnly)
    {
        var rng = new Xoshiro256((ulong)seed);
        var replay = new ReplayBuffer(500, 4);
        byte[] Obs() => Enumerable.Range(0, 400).Select(_ => (byte)(rng.NextInt(5) == 0 ? 1 : 0)).ToArray();
        replay.BeginEpisode(0, Obs());
        for (int t = 0; t < 200; t++)
        {
            bool end = terminalOnly || rng.NextInt(10) == 0;
            replay.AddStep(0, rng.NextInt(3), rewardScale * (float)(rng.NextDouble() * 4 - 1), end, end, Obs());
            if (end) replay.BeginEpisode(0, Obs());
        }
        return replay;
    }
}
