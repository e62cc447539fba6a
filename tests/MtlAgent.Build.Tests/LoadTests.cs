using TorchSharp;

namespace MtlAgent.Build.Tests;

/// <summary>(a) The copy the build patched loads in this very process and computes.</summary>
public class LoadTests
{
    [Fact]
    public void TorchComputesWithThePatchedOutputCopy()
    {
        torch.random.manual_seed(7);
        var x = torch.randn(3, 3);
        float sum = x.sum().item<float>();
        Assert.True(float.IsFinite(sum));
        Assert.Equal(9f, torch.ones(3, 3).sum().item<float>());
        Assert.Equal(0f, (torch.eye(3).matmul(x) - x).abs().max().item<float>());

        // The shim this process mapped is the output copy, not the NuGet cache's.
        var mapped = File.ReadLines("/proc/self/maps")
            .Where(l => l.EndsWith("/libLibTorchSharp.so", StringComparison.Ordinal))
            .Select(l => l[l.IndexOf('/')..])
            .Distinct()
            .ToList();
        Assert.Equal(new[] { Path.GetFullPath(TestFiles.OutputShim()) }, mapped);
    }

    [Fact]
    public void OutputCopyIsWeakAndTheCacheOriginalIsNotAndUnchanged()
    {
        var shipped = TestFiles.ShippedShim();
        var cached = File.ReadAllBytes(TestFiles.CachedShim);
        Assert.Equal(shipped, cached);
        Assert.False(TestFiles.IsWeak(TestFiles.CachedShim));

        var output = TestFiles.OutputShim();
        if (TestFiles.SystemLacksVersion())
        {
            Assert.True(TestFiles.IsWeak(output));
            // The build's copy differs from the original in the flag only.
            var need = TestFiles.Need(new ElfFile(TestFiles.CachedShim, cached));
            var patched = File.ReadAllBytes(output);
            Assert.Equal(cached.Length, patched.Length);
            var differing = Enumerable.Range(0, cached.Length).Where(i => cached[i] != patched[i]).ToList();
            Assert.All(differing, i => Assert.InRange(i, need.FlagsOffset, need.FlagsOffset + 1));
            Assert.NotEmpty(differing);
        }
        else
        {
            Assert.Equal(cached, File.ReadAllBytes(output));
        }
    }
}
