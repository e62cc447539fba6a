using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Runs;

namespace MtlAgent.Cli.Tests;

/// <summary>
/// One uninterrupted <c>mtl train --preset smoke</c> run (3,000 frames per game) keeping all three of its
/// checkpoints, the reference that interrupted runs must match bitwise; shared by the train tests.
/// </summary>
public sealed class SmokeRunFixture : IDisposable
{
    public SmokeRunFixture()
    {
        Root = MtlChildProcess.TempDirectory("mtl-train-tests");
        Result = MtlChildProcess.Run(Root, ["train", "--preset", "smoke", "--run-dir", "full", "--set", "run.keep_checkpoints=3"]);
        Run = new RunDirectory(Path.Combine(Root, "full"));
    }

    /// <summary>Temporary folder holding this fixture's runs and the tests' own.</summary>
    public string Root { get; }

    /// <summary>The finished run.</summary>
    public RunDirectory Run { get; }

    /// <summary>How the process ended.</summary>
    public MtlChildProcess.Result Result { get; }

    /// <summary>The run's resolved config, read back from its config.yaml.</summary>
    public TrainConfig Config => new ConfigBuilder().AddFile(Run.ConfigPath).Build();

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
