using MtlAgent.Agent.Engine;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Tests.Engine;

public class DenormalsTests
{
    private static float Product(float a, float b)
    {
        using var x = tensor(new[] { a });
        using var y = x * b;
        return y.item<float>();
    }

    /// <summary>
    /// Runs <paramref name="body"/> on a new thread with flushing off. A trainer built earlier on a test thread turns
    /// flushing on, and then even the JIT folds denormal constants of methods compiled on that thread to zero, so the
    /// body is a separate method, compiled only after flushing is off.
    /// </summary>
    private static void OnAThreadThatDoesNotFlush(Action body)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { Denormals.FlushOnThisThread(false); body(); }
            catch (Exception e) { failure = e; }
        });
        thread.Start();
        thread.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
    }

    [Fact]
    public void Flushing_turns_a_denormal_result_or_input_into_zero_on_this_thread_only() =>
        OnAThreadThatDoesNotFlush(FlushingOnThisThreadOnly);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void FlushingOnThisThreadOnly()
    {
        const float denormal = 1e-40f;
        Assert.False(Denormals.AreFlushedOnThisThread);
        Assert.Equal(denormal, Product(1e-30f, 1e-10f), 1e-45f);
        try
        {
            Assert.True(Denormals.FlushOnThisThread(true));
            Assert.True(Denormals.AreFlushedOnThisThread);
            Assert.Equal(0f, Product(1e-30f, 1e-10f));  // a denormal result is flushed
            Assert.Equal(0f, Product(denormal, 1f));     // a denormal input reads as zero
            Assert.Equal(1e-30f, Product(1e-30f, 1f));   // normal numbers are untouched

            bool otherThreadFlushes = true;
            var other = new Thread(() => { Denormals.FlushOnThisThread(false); otherThreadFlushes = Denormals.AreFlushedOnThisThread; });
            other.Start();
            other.Join();
            Assert.False(otherThreadFlushes);
            Assert.True(Denormals.AreFlushedOnThisThread); // another thread turning it off does not reach this one
        }
        finally
        {
            Assert.True(Denormals.FlushOnThisThread(false));
        }
        Assert.False(Denormals.AreFlushedOnThisThread);
        Assert.NotEqual(0f, Product(1e-30f, 1e-10f));
    }

    [Fact]
    public void A_thread_inherits_the_setting_of_the_thread_that_creates_it() => OnAThreadThatDoesNotFlush(ChildInherits);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void ChildInherits()
    {
        bool childFlushes = false;
        try
        {
            Denormals.FlushOnThisThread(true);
            var child = new Thread(() => childFlushes = Denormals.AreFlushedOnThisThread);
            child.Start();
            child.Join();
        }
        finally
        {
            Denormals.FlushOnThisThread(false);
        }
        Assert.True(childFlushes);
    }
}
