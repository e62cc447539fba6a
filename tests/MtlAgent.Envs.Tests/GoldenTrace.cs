using System.Globalization;
using System.Text.Json;
using MtlAgent.Envs;

namespace MtlAgent.Envs.Tests;

/// <summary>Replays a golden trace (spec 10.2) against our games and reports the first mismatch.</summary>
internal static class GoldenTrace
{
    /// <summary>MinAtar's game names mapped to ours.</summary>
    internal static string IdFor(string game) => game switch
    {
        "breakout" => "MinAtar/Breakout-v0",
        "asterix" => "MinAtar/Asterix-v0",
        "freeway" => "MinAtar/Freeway-v0",
        "seaquest" => "MinAtar/Seaquest-v0",
        "space_invaders" => "MinAtar/SpaceInvaders-v0",
        _ => throw new ArgumentException($"unknown game '{game}' in trace; known: breakout, asterix, freeway, seaquest, space_invaders"),
    };

    /// <summary>Decodes OBS: per channel a 25-digit hex number whose bit y*10+x is cell (y, x).</summary>
    internal static byte[] DecodeObservation(string obs)
    {
        string[] channels = obs.Split('.');
        var bytes = new byte[channels.Length * 100];
        for (int c = 0; c < channels.Length; c++)
        {
            UInt128 bits = UInt128.Parse(channels[c], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            for (int i = 0; i < 100; i++) bytes[c * 100 + i] = (byte)((bits >> i) & 1);
        }
        return bytes;
    }

    /// <summary>Encodes an observation the way the traces do (for readable failure messages).</summary>
    internal static string EncodeObservation(ReadOnlySpan<byte> obs)
    {
        var parts = new List<string>();
        for (int c = 0; c < obs.Length / 100; c++)
        {
            UInt128 bits = 0;
            for (int i = 0; i < 100; i++) if (obs[c * 100 + i] != 0) bits |= (UInt128)1 << i;
            parts.Add(bits.ToString("x25", CultureInfo.InvariantCulture));
        }
        return string.Join('.', parts);
    }

    /// <summary>Replays one trace file; returns the number of steps; throws describing the first difference.</summary>
    internal static int Replay(string path)
    {
        string[] lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        if (lines.Length == 0) throw new InvalidDataException($"{path}: empty trace");
        using var header = JsonDocument.Parse(lines[0]);
        var h = header.RootElement;
        if (h.GetProperty("kind").GetString() != "header") throw new InvalidDataException($"{path}: first line is not a header");
        var options = new EnvOptions
        {
            StickyActionProb = h.GetProperty("sticky_action_prob").GetDouble(),
            DifficultyRamping = h.GetProperty("difficulty_ramping").GetBoolean(),
        };
        using var env = EnvRegistry.Make(IdFor(h.GetProperty("game").GetString()!), options);
        Assert.Equal(h.GetProperty("channels").GetInt32(), env.Spec.Channels);
        env.Seed(h.GetProperty("seed").GetUInt32());
        var obs = new byte[env.ObservationSize];
        int steps = 0;
        for (int n = 1; n < lines.Length; n++)
        {
            using var doc = JsonDocument.Parse(lines[n]);
            var rec = doc.RootElement;
            string where = $"{Path.GetFileName(path)} line {n + 1}";
            string kind = rec.GetProperty("kind").GetString()!;
            if (kind == "reset")
            {
                env.ResetInPlace();
            }
            else if (kind == "step")
            {
                int a = rec.GetProperty("a").GetInt32();
                var s = env.StepInPlace(a);
                steps++;
                Check(rec.GetProperty("a_eff").GetInt32(), env.LastAction, where, "applied action");
                Check(rec.GetProperty("r").GetInt32(), (int)s.Reward, where, "reward");
                Check(rec.GetProperty("done").GetBoolean(), s.Terminated, where, "terminal");
            }
            else throw new InvalidDataException($"{where}: unknown record kind '{kind}'");
            env.WriteObservation(obs);
            string expected = rec.GetProperty("obs").GetString()!;
            string actual = EncodeObservation(obs);
            if (expected != actual)
                throw new Xunit.Sdk.XunitException($"{where}: observation differs\n expected {expected}\n actual   {actual}");
        }
        return steps;
    }

    private static void Check<T>(T expected, T actual, string where, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
            throw new Xunit.Sdk.XunitException($"{where}: {what} expected {expected}, got {actual}");
    }
}
