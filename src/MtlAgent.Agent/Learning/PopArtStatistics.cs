using MtlAgent.Agent.Configuration;
using MtlAgent.Agent.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace MtlAgent.Agent.Learning;

/// <summary>One game's PopArt moments in real units (initially mu 0, nu 1: sigma 1).</summary>
public sealed record PopArtMoments(double Mu, double Nu);

/// <summary>Per-game PopArt statistics: part of the agent state and of every checkpoint.</summary>
public sealed class PopArtStatistics
{
    private readonly PopArtConfig _config;
    private readonly double[] _mu, _nu;

    /// <summary>Statistics for <paramref name="games"/> heads at their initial values.</summary>
    public PopArtStatistics(PopArtConfig config, int games)
    {
        _config = config;
        _mu = new double[games];
        _nu = Enumerable.Repeat(1.0, games).ToArray();
    }

    /// <summary>Games tracked.</summary>
    public int Games => _mu.Length;

    /// <summary>First moment of game <paramref name="game"/>'s targets (real units).</summary>
    public double Mu(int game) => _mu[game];

    /// <summary>Second moment of game <paramref name="game"/>'s targets.</summary>
    public double Nu(int game) => _nu[game];

    /// <summary>Clamped standard deviation of game <paramref name="game"/>'s targets.</summary>
    public double Sigma(int game) => PopArtMath.Sigma(_mu[game], _nu[game], _config.SigmaMin, _config.SigmaMax);

    /// <summary>
    /// Head outputs of game <paramref name="game"/> in real units, in place: <c>sigma * q + mu</c> (unchanged with PopArt
    /// off, whose statistics stay at mu 0, sigma 1). The one conversion from normalised units, on the host.
    /// </summary>
    public void ToRealUnits(int game, Span<float> values)
    {
        if (!_config.Enabled) return;
        double mu = Mu(game), sigma = Sigma(game);
        for (int a = 0; a < values.Length; a++) values[a] = (float)(sigma * values[a] + mu);
    }

    /// <summary>Head outputs of game <paramref name="game"/> in real units, as a tensor op (identity with PopArt off).</summary>
    public Tensor ToRealUnits(int game, Tensor q_norm)
    {
        if (!_config.Enabled) return q_norm;
        using Scalar sigma = Sigma(game).ToScalar(), mu = Mu(game).ToScalar();
        return q_norm.mul(sigma).add_(mu, HeldScalars.One);
    }

    /// <summary>Real-unit values (targets) of game <paramref name="game"/> in its normalised units (identity with PopArt off).</summary>
    public Tensor Normalize(int game, Tensor values)
    {
        if (!_config.Enabled) return values;
        using Scalar mu = Mu(game).ToScalar(), sigma = Sigma(game).ToScalar();
        return values.sub(mu).div_(sigma);
    }

    /// <summary>
    /// ART for one game from the batch means of its targets (once per update), returning the POP factors that keep
    /// that game's head outputs (see <see cref="PopArtMath.RescaleFactors"/>).
    /// </summary>
    public (double WeightScale, double BiasShift) Update(int game, double targetMean, double targetSquareMean)
    {
        double mu = _mu[game], sigma = Sigma(game);
        (_mu[game], _nu[game]) = PopArtMath.UpdateMoments(mu, _nu[game], _config.Beta, targetMean, targetSquareMean);
        return PopArtMath.RescaleFactors(mu, sigma, _mu[game], Sigma(game));
    }

    /// <summary>The moments of every game, for checkpoints.</summary>
    public IReadOnlyList<PopArtMoments> GetState() => _mu.Select((m, i) => new PopArtMoments(m, _nu[i])).ToArray();

    /// <summary>Restores moments saved by <see cref="GetState"/>.</summary>
    public void SetState(IReadOnlyList<PopArtMoments> moments)
    {
        if (moments.Count != Games)
            throw new ArgumentException($"PopArt state has {moments.Count} games, expected {Games}", nameof(moments));
        for (int g = 0; g < Games; g++) (_mu[g], _nu[g]) = (moments[g].Mu, moments[g].Nu);
    }
}
