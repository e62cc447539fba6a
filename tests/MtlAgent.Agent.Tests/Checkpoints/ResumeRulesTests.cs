using MtlAgent.Agent.Checkpoints;
using MtlAgent.Agent.Configuration;

namespace MtlAgent.Agent.Tests.Checkpoints;

public class ResumeRulesTests
{
    [Fact]
    public void BudgetsDeviceThreadsGradientMonitorAndRunCadenceMayChange_NothingElse()
    {
        var saved = new TrainConfig();
        var allowed = saved with
        {
            Frames = 1, Device = ComputeDevice.Cuda, TorchThreads = 2, Monitor = saved.Monitor with { GradientEvery = 7 },
            Run = saved.Run with { LogEveryFrames = 5, KeepCheckpoints = 9 },
        };
        Assert.Empty(ResumeRules.Differences(saved, allowed));

        var other = saved with
        {
            Seed = 3, Network = saved.Network with { Hidden = 64 }, Learner = saved.Learner with { LearningRate = 1e-3 },
        };
        var differences = ResumeRules.Differences(saved, other);
        Assert.Equal(
            ["seed: 0 in the run, 3 now", "network.hidden: 128 in the run, 64 now", "learner.learning_rate: 0.00025 in the run, 0.001 now"],
            differences);
        var e = Assert.Throws<CheckpointException>(() => ResumeRules.Check(saved, other, "run/x"));
        Assert.Contains("cannot resume run/x", e.Message);
        Assert.Contains("Only frames, device, torch_threads, monitor.gradient_every, run.* may change", e.Message);
    }
}
