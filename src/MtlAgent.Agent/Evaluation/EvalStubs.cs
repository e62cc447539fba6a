// TEMP stub: stand-ins for the envs and agent APIs until those branches land. Delete on merge.
#pragma warning disable CS1591
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Training;

namespace MtlAgent.Agent.Checkpoints
{
    public sealed class PolicyCheckpoint : IDisposable
    {
        public required string Directory { get; init; }
        public required IReadOnlyList<string> Games { get; init; }
        public long FramesPerGame { get; init; }
        public TrainConfig Config { get; init; } = new();

        public static PolicyCheckpoint Load(string path)
        {
            if (!System.IO.Directory.Exists(path)) throw new CheckpointException($"checkpoint '{path}' does not exist");
            return new PolicyCheckpoint { Directory = path, Games = ["MinAtar/Breakout-v0", "MinAtar/Freeway-v0"], FramesPerGame = 1000 };
        }

        public int GameIndex(string envId) => Games.ToList().IndexOf(envId) is var i and >= 0 ? i : throw new ArgumentException($"not trained on {envId}");

        public float[] QValues(int game, ReadOnlySpan<byte> observation)
        {
            var q = new float[6];
            q[Math.Max(0, observation.IndexOf((byte)1)) % 6] = 1;
            return q;
        }

        public void Dispose() { }
    }
}

