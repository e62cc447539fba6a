namespace MtlAgent.Cli;

/// <summary>Turns exceptions into one clear line on stderr and a non-zero exit code.</summary>
public static class CliErrors
{
    /// <summary>Exit code for bad input or a failed run.</summary>
    public const int Failure = 1;

    public static int Run(Func<int> command)
    {
        try
        {
            return command();
        }
        catch (Exception e)
        {
            Report(e);
            return Failure;
        }
    }

    public static void Report(Exception e)
    {
        var inner = e is AggregateException { InnerExceptions.Count: 1 } agg ? agg.InnerExceptions[0] : e;
        Console.Error.WriteLine($"error: {inner.Message}");
        if (Environment.GetEnvironmentVariable("MTL_DEBUG") == "1") Console.Error.WriteLine(inner);
    }
}
