namespace MtlAgent.Envs.Tests;

/// <summary>The hot paths (StepInPlace, WriteObservation, ResetInPlace, VectorEnv.Step) do not allocate once warm.</summary>
public sealed class AllocationTests
{
    public static TheoryData<string> MinimalIds => new(EnvRegistry.Ids.Where(i => i.EndsWith("-v1", StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(MinimalIds))]
    public void SingleEnvHotLoopDoesNotAllocate(string id)
    {
        using var env = EnvRegistry.Make(id);
        env.Reset(3);
        var obs = new byte[env.ObservationSize];
        var random = new Random(3);
        int[] actions = Enumerable.Range(0, 40_000).Select(_ => random.Next(env.ActionSpace.N)).ToArray();
        void Play(int from, int to)
        {
            for (int i = from; i < to; i++)
            {
                if (env.StepInPlace(actions[i]).Done) env.ResetInPlace();
                env.WriteObservation(obs);
            }
        }
        Play(0, 20_000); // warm-up: lists reach their working capacity, methods get compiled
        long before = GC.GetAllocatedBytesForCurrentThread();
        Play(20_000, 40_000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void VectorStepDoesNotAllocate()
    {
        using var vec = new VectorEnv("MinAtar/Asterix-v1", 8, seed: 1);
        vec.Reset();
        var actions = new int[8];
        var random = new Random(1);
        void Play(int steps)
        {
            for (int t = 0; t < steps; t++)
            {
                for (int i = 0; i < 8; i++) actions[i] = random.Next(5);
                vec.Step(actions);
            }
        }
        Play(3000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Play(3000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
