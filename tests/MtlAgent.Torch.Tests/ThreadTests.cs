using static MtlAgent.Torch.torch;

namespace MtlAgent.Torch.Tests;

/// <summary>Thread settings applied when the native library loads.</summary>
public class ThreadTests
{
    [Fact]
    public void OpenBlas_runs_single_threaded_and_torch_threads_are_settable()
    {
        var blas = get_blas_num_threads();
        Assert.True(blas is 1 or -1, $"OpenBLAS threads: {blas}");
        var before = get_num_threads();
        set_num_threads(2);
        Assert.Equal(2, get_num_threads());
        set_num_threads(before);
        Assert.Equal(before, get_num_threads());
        Assert.Equal(1, get_blas_num_threads() is -1 ? 1 : get_blas_num_threads());
        Assert.Throws<ArgumentOutOfRangeException>(() => set_num_threads(0));
    }
}
