namespace MtlAgent.Agent.Learning;

/// <summary>
/// The PopArt formulas of van Hasselt et al. (2016) as pure functions (spec: shared/spec/popart.md).
/// Real-unit values are <c>sigma * q_norm + mu</c>.
/// </summary>
public static class PopArtMath
{
    /// <summary>ART: one step of the running first and second moments towards the batch means of the targets.</summary>
    public static (double Mu, double Nu) UpdateMoments(double mu, double nu, double beta, double targetMean, double targetSquareMean) =>
        ((1 - beta) * mu + beta * targetMean, (1 - beta) * nu + beta * targetSquareMean);

    /// <summary>
    /// <c>sqrt(nu - mu^2)</c> clamped to [<paramref name="sigmaMin"/>, <paramref name="sigmaMax"/>] (a negative
    /// variance from rounding counts as zero).
    /// </summary>
    public static double Sigma(double mu, double nu, double sigmaMin, double sigmaMax) =>
        Math.Clamp(Math.Sqrt(Math.Max(nu - mu * mu, 0.0)), sigmaMin, sigmaMax);

    /// <summary>
    /// POP: the affine map of a head's rows that keeps real-unit outputs when statistics move from (mu, sigma) to
    /// (mu', sigma'): <c>W' = WeightScale * W</c>, <c>b' = WeightScale * b + BiasShift</c>, i.e.
    /// <c>W' = (sigma / sigma') W</c>, <c>b' = (sigma b + mu - mu') / sigma'</c>.
    /// </summary>
    public static (double WeightScale, double BiasShift) RescaleFactors(double mu, double sigma, double newMu, double newSigma) =>
        (sigma / newSigma, (mu - newMu) / newSigma);

}
