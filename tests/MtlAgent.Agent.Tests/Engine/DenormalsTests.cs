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

    [Fact]
    public void Flushing_turns_a_denormal_result_or_input_into_zero_on_this_thread_only()
    {
        const float denormal = 1e-40f;
        Denormals.FlushOnThisThread(false); // a trainer built earlier on this test thread turned it on
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
    public void A_thread_inherits_the_setting_of_the_thread_that_creates_it()
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
