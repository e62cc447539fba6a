using System.CommandLine;
using MtlAgent.Agent.Configuration;

namespace MtlAgent.Cli.Commands;

/// <summary>The options shared by <c>mtl bench learner</c> and <c>mtl bench train</c>.</summary>
public static class BenchOptions
{
    /// <summary>--seconds (per case), --json FILE, --device cpu|cuda.</summary>
    public static (Option<double> Seconds, Option<string?> Json, Option<string> Device) Create(double defaultSeconds)
    {
        var seconds = new Option<double>("--seconds") { Description = "Timed seconds per case", DefaultValueFactory = _ => defaultSeconds };
        var json = new Option<string?>("--json") { Description = "Also write {\"benchmarks\":[...]} to this file" };
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        device.AcceptOnlyFromAmong([.. ConfigValidator.Devices]);
        return (seconds, json, device);
    }

    /// <summary>Checks --seconds.</summary>
    public static double Seconds(double value) =>
        value > 0 ? value : throw new ArgumentException($"--seconds must be positive, got {value}");
}
