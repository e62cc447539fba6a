using MtlAgent.Agent.Acting;
using MtlAgent.Agent.Checkpoints;
using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Engine;
using MtlAgent.Agent.Randomness;
using MtlAgent.Agent.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Cuda.Tests;

/// <summary>The same maths on the GPU; skipped without CUDA.</summary>
public class CudaTests
{
    [CudaFact]
    public void HostTensorsCrossToTheGpuAndBack()
    {
        using var host = new HostTensor<float>([3], CUDA);
        host.Array[0] = 1; host.Array[1] = 2; host.Array[2] = 3;
        Assert.Equal(DeviceType.CUDA, host.Upload().device_type);
        using var scope = NewDisposeScope();
        Assert.Equal([2f, 4f, 6f], host.Download(host.Device * 2));
    }

    [CudaFact]
    public void FlatRmsPropOnTheGpuMatchesTheCpu()
    {
        manual_seed(5);
        using var cpuNet = nn.Sequential(nn.Conv2d(10, 16, 3), nn.ReLU(), nn.Flatten(), nn.Linear(1024, 6));
        manual_seed(5);
        using var gpuNet = nn.Sequential(nn.Conv2d(10, 16, 3), nn.ReLU(), nn.Flatten(), nn.Linear(1024, 6));
        gpuNet.to(CUDA);
        using var cpuFlat = new FlatParameters(cpuNet);
        using var gpuFlat = new FlatParameters(gpuNet);
        using var optC = new FlatRmsProp(cpuFlat, lr: 1e-3, alpha: 0.95, eps: 0.01, centered: true);
        using var optG = new FlatRmsProp(gpuFlat, lr: 1e-3, alpha: 0.95, eps: 0.01, centered: true);
        using var x = rand([8, 10, 10, 10]).DetachFromDisposeScope();
        using var y = randn([8, 6]).DetachFromDisposeScope();
        using var xg = x.cuda();
        using var yg = y.cuda();
        for (var i = 0; i < 3; i++)
        {
            using var scope = NewDisposeScope();
            optC.zero_grad();
            nn.functional.smooth_l1_loss(cpuNet.forward(x), y).backward();
            optC.step();
            optG.zero_grad();
            nn.functional.smooth_l1_loss(gpuNet.forward(xg), yg).backward();
            optG.step();
        }
        using var difference = (cpuFlat.data - gpuFlat.data.cpu()).abs().max();
        Assert.True(difference.item<float>() < 1e-4, $"largest difference {difference.item<float>()}");
    }

    [CudaFact]
    public void ATrainerOnTheGpuLearnsAndItsCheckpointPlaysOnTheCpu()
    {
        var config = new TrainConfig
        {
            Games = ["MinAtar/Breakout-v1", "MinAtar/Asterix-v1"],
            Device = ComputeDevice.Cuda,
            Network = new NetworkConfig { ConvChannels = [8], Hidden = 32 },
            Replay = new ReplayConfig { CapacityPerGame = 300, BatchPerGame = 8 },
            Learner = new LearnerConfig { LearningStarts = 60, TargetUpdatePeriod = 7 },
            Exploration = new ExplorationConfig { RandomFrames = 40, DecayFrames = 100 },
        };
        var root = Directory.CreateTempSubdirectory("mtl-cuda-test-").FullName;
        string checkpoint = Directory.CreateDirectory(Path.Combine(root, "step-150")).FullName;
        using (var t = new Trainer(config))
        {
            Assert.Equal(DeviceType.CUDA, t.Device.type);
            for (int i = 0; i < 150; i++) t.Step();
            Assert.True(t.Updates > 0);
            TrainerCheckpoint.Save(t, checkpoint, wallSeconds: 0);
        }
        using var loaded = CheckpointPolicy.Load(checkpoint);
        var obs = MtlAgent.Envs.EnvRegistry.Make(config.Games[0]).Reset(1).Observation.ToArray();
        var q = new float[1][];
        EpsilonGreedy.Act(loaded.Policy, [1, 0], loaded.Policy.ActionCounts, _ => obs, 0, _ => new Xoshiro256(1), new int[1], qValues: q);
        Assert.All(q[0], v => Assert.True(float.IsFinite(v)));
        var (resumed, _) = TrainerCheckpoint.Load(checkpoint, config);
        using (resumed)
        {
            resumed.Step();
            Assert.Equal(151, resumed.FramesPerGame);
        }
        Directory.Delete(root, recursive: true);
    }
}
