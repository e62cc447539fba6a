namespace MtlAgent.Envs;

/// <summary>A Gymnasium-style environment with discrete actions and byte observations.</summary>
public interface IEnv : IDisposable
{
    /// <summary>Registry id.</summary>
    string Id { get; }

    /// <summary>The agent's actions.</summary>
    DiscreteSpace ActionSpace { get; }

    /// <summary>Observation shape <c>[C, 10, 10]</c>, bytes 0..1.</summary>
    BoxSpace ObservationSpace { get; }

    /// <summary>Starts an episode; with a seed, first re-seeds (the original's <c>seed(s)</c> then <c>reset()</c>).</summary>
    (byte[] Observation, IReadOnlyDictionary<string, object> Info) Reset(int? seed = null);

    /// <summary>
    /// Starts an episode without allocating and without re-seeding; read the observation with <see cref="WriteObservation"/>.
    /// </summary>
    void ResetInPlace();

    /// <summary>Plays one agent action.</summary>
    StepResult Step(int action);

    /// <summary>Plays one agent action without allocating; read the observation with <see cref="WriteObservation"/>.</summary>
    StepStatus StepInPlace(int action);

    /// <summary>Writes the current observation (<c>C*100</c> bytes, channels first) without allocating.</summary>
    void WriteObservation(Span<byte> destination);

    /// <summary>Complete state (game, RNG, last action, counters) for exact resume.</summary>
    byte[] GetState();

    /// <summary>Restores a state from <see cref="GetState"/>; play then continues identically.</summary>
    void SetState(byte[] state);
}
