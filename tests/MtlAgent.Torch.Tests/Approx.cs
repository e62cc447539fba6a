namespace MtlAgent.Torch.Tests;

/// <summary>Element-wise comparisons with a relative-plus-absolute tolerance.</summary>
internal static class Approx
{
    internal static void Equal(double[] expected, double[] actual, double tol = 1e-6)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * (1 + Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tol})");
    }

    internal static void Equal(float[] expected, float[] actual, double tol = 1e-6) =>
        Equal(expected.Select(x => (double)x).ToArray(), actual.Select(x => (double)x).ToArray(), tol);
}
