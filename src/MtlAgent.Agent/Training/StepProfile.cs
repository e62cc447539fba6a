using System.Diagnostics;
using TorchSharp;

namespace MtlAgent.Agent.Training;

/// <summary>
/// Where a trainer's steps spend their time, for <c>mtl bench train</c>: acting (the batched forward and the epsilon
/// draws), the environments (stepping, replay writes, episode ends), sampling the update batch on the host, and the
/// learner update. On a GPU each phase ends with a device synchronisation, so asynchronous kernels are charged to the
/// phase that queued them (this costs a little speed while profiling).
/// </summary>
public sealed class StepProfile(bool synchronizeCuda)
{
    /// <summary>Seconds spent acting.</summary>
    public double Acting { get; private set; }
    /// <summary>Seconds spent stepping environments and storing transitions.</summary>
    public double Environments { get; private set; }
    /// <summary>Seconds spent sampling update batches (host unpacking and the copy to the device).</summary>
    public double Sampling { get; private set; }
    /// <summary>Seconds spent in learner updates.</summary>
    public double Updates { get; private set; }

    /// <summary>All phases together.</summary>
    public double Total => Acting + Environments + Sampling + Updates;

    internal long Start() => Stopwatch.GetTimestamp();

    internal long EndActing(long start) => Add(start, t => Acting += t);
    internal long EndEnvironments(long start) => Add(start, t => Environments += t);
    internal long EndSampling(long start) => Add(start, t => Sampling += t);
    internal long EndUpdate(long start) => Add(start, t => Updates += t);

    private long Add(long start, Action<double> add)
    {
        if (synchronizeCuda) torch.cuda.synchronize();
        long now = Stopwatch.GetTimestamp();
        add(Stopwatch.GetElapsedTime(start, now).TotalSeconds);
        return now;
    }

    /// <summary>Each phase's share of the total, e.g. "acting 3%, environments 1%, sampling 6%, update 90%".</summary>
    public override string ToString() =>
        Total <= 0 ? "nothing timed"
            : $"acting {Acting / Total:P0}, environments {Environments / Total:P0}, sampling {Sampling / Total:P0}, update " +
              $"{Updates / Total:P0}";
}
