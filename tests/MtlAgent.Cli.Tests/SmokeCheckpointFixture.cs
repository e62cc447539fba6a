namespace MtlAgent.Cli.Tests;

/// <summary>
/// One tiny real training run (<c>mtl train --preset smoke</c>, two games) shared by the eval and replay tests,
/// so every test reads a checkpoint written the way users get them.
/// </summary>
public sealed class SmokeCheckpointFixture : IDisposable
{
    /// <summary>Frames per game of the run.</summary>
    public const long Frames = 1_000;

    /// <summary>The games of the smoke preset.</summary>
    public static readonly string[] Games = ["MinAtar/Breakout-v0", "MinAtar/Asterix-v0"];

    public SmokeCheckpointFixture()
    {
        Root = MtlChildProcess.TempDirectory("mtl-eval-tests");
        RunDirectory = Path.Combine(Root, "run");
        var train = MtlChildProcess.Run(Root,
            ["train", "--preset", "smoke", "--frames", Frames.ToString(), "--seed", "1", "--run-dir", RunDirectory]);
        if (train.ExitCode != 0) throw new InvalidOperationException($"smoke training failed: {train}");
        Checkpoint = Path.Combine(RunDirectory, File.ReadAllText(Path.Combine(RunDirectory, "latest")).Trim());
    }

    /// <summary>Scratch folder holding the run; tests put their own files here.</summary>
    public string Root { get; }

    /// <summary>The run directory (its <c>latest</c> file names <see cref="Checkpoint"/>).</summary>
    public string RunDirectory { get; }

    /// <summary>The newest checkpoint directory of the run.</summary>
    public string Checkpoint { get; }

    /// <summary>A copy of the checkpoint in a new folder, for tests that damage it.</summary>
    public string CopyOfCheckpoint()
    {
        var copy = Directory.CreateDirectory(Path.Combine(Root, $"copy-{Guid.NewGuid():N}")).FullName;
        foreach (var file in Directory.GetFiles(Checkpoint)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }

    /// <summary>A <see cref="CopyOfCheckpoint"/> whose <paramref name="file"/> is cut to half its length.</summary>
    public string CopyWithTruncated(string file)
    {
        var copy = CopyOfCheckpoint();
        var path = Path.Combine(copy, file);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        return copy;
    }

    /// <summary>Asserts that <paramref name="run"/> failed with one clear error line that names <paramref name="text"/>.</summary>
    public static void AssertClearError(MtlChildProcess.Result run, string text)
    {
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: ", run.Stderr);
        Assert.Contains(text, run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class SmokeCheckpointCollection : ICollectionFixture<SmokeCheckpointFixture>
{
    /// <summary>Name of the test collection sharing the smoke run.</summary>
    public const string Name = "smoke checkpoint";
}
