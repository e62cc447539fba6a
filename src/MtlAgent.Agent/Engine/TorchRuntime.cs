using TorchSharp;

namespace MtlAgent.Agent.Engine;

/// <summary>
/// The one place where libtorch is started, before anything else touches <c>torch</c>: the libtorch folder of
/// <c>MTL_LIBTORCH_DIR</c> if set (<see cref="LibTorchFolder"/>), then TorchSharp's natives with the real reason if
/// they do not load (<see cref="TorchLoadFailure"/>), then the start-up thread count. Every entry point that uses
/// tensors (trainer, checkpoint loading, benchmarks, tests) calls <see cref="Initialize"/>; only the first call works.
/// </summary>
public static class TorchRuntime
{
    /// <summary>Environment variable with the start-up number of libtorch intra-op threads (default 1).</summary>
    public const string ThreadsVariable = "MTL_TORCH_THREADS";

    private static readonly Lazy<int> Threads = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Starts libtorch once; throws with the cause when it cannot be started (the next call throws again).</summary>
    public static void Initialize() => _ = Threads.Value;

    /// <summary>Intra-op threads libtorch was started with.</summary>
    public static int StartupThreads => Threads.Value;

    private static int Start()
    {
        LibTorchFolder.LoadFromEnvironment();
        TorchLoadFailure.EnsureTorchLoaded();
        var text = Environment.GetEnvironmentVariable(ThreadsVariable);
        int threads = 1;
        if (!string.IsNullOrWhiteSpace(text) && (!int.TryParse(text, out threads) || threads < 1))
            throw new ArgumentException($"{ThreadsVariable}='{text}' is not a positive integer");
        // Several threads pay off only with idle cores and large batches: measured, see the README ("Speed").
        torch.set_num_threads(threads);
        return threads;
    }
}
