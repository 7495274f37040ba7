using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PingAspire.Tests.Infrastructure;

// The AppHost forwards each resource's stdout/stderr to loggers named "<AppHost>.Resources.<resource>";
// this provider keeps those lines as "<resource>: <line>".
public sealed class ResourceLogCollector : ILoggerProvider
{
    private const string ResourcesCategory = "PingAspire.AppHost.Resources.";

    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith(ResourcesCategory, StringComparison.Ordinal)
            ? new Collector(categoryName[ResourcesCategory.Length..], _lines)
            : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class Collector(string resource, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(
            LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{resource}: {formatter(state, exception)}");
    }
}
