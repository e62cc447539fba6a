using MtlAgent.Agent.Configuration;

namespace MtlAgent.Agent.Checkpoints;

/// <summary>
/// The one rule for what may differ between a run's saved configuration and the one it is resumed with: the frame
/// budget, the device, torch threads and the run cadence (<c>run.*</c>). Anything else (other games, another network, a
/// different replay) would not continue the same run. Used by <c>mtl train --resume</c> and by the trainer's loader.
/// </summary>
public static class ResumeRules
{
    /// <summary>Keys that may change on resume; a trailing dot means the whole section.</summary>
    public static readonly IReadOnlyList<string> MayChange = ["frames", "device", "torch_threads", "monitor.gradient_every", "run."];

    /// <summary>Every setting that differs and may not, as "key: saved value in the run, new value now".</summary>
    public static IReadOnlyList<string> Differences(TrainConfig saved, TrainConfig requested)
    {
        var before = ConfigYaml.Flatten(saved).ToDictionary(kv => kv.Key, kv => kv.Value);
        return ConfigYaml.Flatten(requested)
            .Where(kv => before[kv.Key] != kv.Value && !Resumable(kv.Key))
            .Select(kv => $"{kv.Key}: {before[kv.Key]} in the run, {kv.Value} now")
            .ToList();
    }

    /// <summary>
    /// Throws <see cref="CheckpointException"/> listing the differences, if any, for <paramref name="what"/> (a run or checkpoint path).
    /// </summary>
    public static void Check(TrainConfig saved, TrainConfig requested, string what)
    {
        var differences = Differences(saved, requested);
        if (differences.Count > 0)
            throw new CheckpointException(
                $"cannot resume {what} with a different configuration: {string.Join("; ", differences)}. " +
                $"Only {string.Join(", ", MayChange.Select(p => p.EndsWith('.') ? p + "*" : p))} may change; start a new run for the rest");
    }

    private static bool Resumable(string key) =>
        MayChange.Any(p => p.EndsWith('.') ? key.StartsWith(p, StringComparison.Ordinal) : key == p);
}
