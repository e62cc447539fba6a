using Xunit.Abstractions;
using Xunit.Sdk;

namespace MtlAgent.Cli.Tests.Support;

/// <summary>Thrown by a <see cref="SkippableFactAttribute"/> test to be reported as skipped, with its message as the reason.</summary>
public sealed class SkipTestException(string reason) : Exception(reason);

/// <summary>
/// A fact that may skip itself while it runs, by throwing <see cref="SkipTestException"/>: xunit 2 decides skips when it
/// discovers tests, and what decides here (can Chromium be installed?) is only known, and paid for, when the test runs.
/// </summary>
[XunitTestCaseDiscoverer("MtlAgent.Cli.Tests.Support.SkippableFactDiscoverer", "MtlAgent.Cli.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class SkippableFactAttribute : FactAttribute;

/// <summary>Makes a <see cref="SkippableTestCase"/> of every <see cref="SkippableFactAttribute"/> method.</summary>
public sealed class SkippableFactDiscoverer(IMessageSink diagnostics) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions options, ITestMethod method, IAttributeInfo attribute)
    {
        yield return new SkippableTestCase(diagnostics, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), method);
    }
}

/// <summary>A test case whose failures by <see cref="SkipTestException"/> are reported as skips.</summary>
public sealed class SkippableTestCase : XunitTestCase
{
    [Obsolete("For xunit's deserialisation only", error: true)]
    public SkippableTestCase()
    {
    }

    public SkippableTestCase(IMessageSink diagnostics, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method)
        : base(diagnostics, display, options, method)
    {
    }

    public override async Task<RunSummary> RunAsync(IMessageSink diagnostics, IMessageBus bus, object[] arguments,
        ExceptionAggregator aggregator, CancellationTokenSource cancellation)
    {
        var skipping = new SkippingBus(bus);
        var summary = await base.RunAsync(diagnostics, skipping, arguments, aggregator, cancellation);
        summary.Failed -= skipping.Skipped;
        summary.Skipped += skipping.Skipped;
        return summary;
    }

    private sealed class SkippingBus(IMessageBus inner) : IMessageBus
    {
        public int Skipped { get; private set; }

        public bool QueueMessage(IMessageSinkMessage message)
        {
            if (message is ITestFailed failed && failed.ExceptionTypes.FirstOrDefault() == typeof(SkipTestException).FullName)
            {
                Skipped++;
                return inner.QueueMessage(new TestSkipped(failed.Test, failed.Messages.FirstOrDefault() ?? "skipped"));
            }
            return inner.QueueMessage(message);
        }

        // The bus belongs to the runner that passed it in.
        public void Dispose()
        {
        }
    }
}
