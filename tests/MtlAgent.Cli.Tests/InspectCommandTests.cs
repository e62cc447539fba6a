using System.Text.Json;

namespace MtlAgent.Cli.Tests;

/// <summary><c>mtl inspect</c>: the optimizer regime of the smoke run's checkpoint, and its refusals.</summary>
[Collection(SmokeCheckpointCollection.Name)]
public class InspectCommandTests(SmokeCheckpointFixture smoke)
{
    private MtlChildProcess.Result Inspect(params string[] args) => MtlChildProcess.Run(smoke.Root, ["inspect", .. args]);

    [Fact]
    public void Lists_every_parameter_tensor_of_the_run_and_writes_the_same_as_json()
    {
        var json = Path.Combine(smoke.Root, $"inspect-{Guid.NewGuid():N}.json");
        var run = Inspect(smoke.RunDirectory, "--json", json);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(smoke.Checkpoint, run.Stdout);   // a run directory means its latest checkpoint
        Assert.Contains("RMSprop (centered), eps 0.01", run.Stdout);
        foreach (var tensor in new[] { "convs.0.weight", "fc.weight", "heads.0.weight", "heads.1.bias" })
            Assert.Contains(tensor, run.Stdout);
        Assert.Contains("of all coordinates", run.Stdout);

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal(["checkpoint", "frames_per_game", "optimizer", "eps", "learning_rate", "share_above_eps", "tensors"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(SmokeCheckpointFixture.Frames, root.GetProperty("frames_per_game").GetInt64());
        var tensors = root.GetProperty("tensors").EnumerateArray().ToList();
        Assert.Contains(tensors, t => t.GetProperty("tensor").GetString() == "heads.1.weight");
        Assert.All(tensors, t =>
        {
            Assert.Equal("all games", t.GetProperty("state").GetString());
            Assert.InRange(t.GetProperty("share_above_eps").GetDouble(), 0, 1);
            Assert.True(t.GetProperty("p90_root").GetDouble() >= t.GetProperty("median_root").GetDouble());
        });
        Assert.Contains(tensors, t => t.GetProperty("median_root").GetDouble() > 0);   // the run has taken steps
    }

    [Fact]
    public void A_truncated_optimizer_state_is_a_clear_error()
    {
        var run = Inspect(smoke.CopyWithTruncated("optimizer.safetensors"));
        SmokeCheckpointFixture.AssertClearError(run, "optimizer.safetensors");
    }

    [Fact]
    public void A_missing_path_is_a_clear_error()
    {
        var run = Inspect(Path.Combine(smoke.Root, "no-such-run"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no-such-run", run.Stderr);
        Assert.Contains("does not exist", run.Stderr);
    }

    [Fact]
    public void A_schema_one_checkpoint_is_refused_naming_its_schema()
    {
        var run = Inspect(Path.Combine(AppContext.BaseDirectory, "fixtures", "schema1-run"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("schema 1", run.Stderr);
    }
}
