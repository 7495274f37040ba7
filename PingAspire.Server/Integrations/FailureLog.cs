using System.Collections.Concurrent;
using System.Diagnostics;
using PingAspire.ServiceDefaults.Layers;

namespace PingAspire.Server.Integrations;

// An outage under load would write one stack trace per request. Instead, per integration: the first failure of each
// interval with its exception, and how many failures the interval before it swallowed. Every span still has its own
// exception.
public sealed class FailureLog(TimeSpan interval, ILoggerFactory loggers)
{
    private readonly TimeSpan _interval = interval;

    // Server:FailureLogIntervalSeconds (default 10), read while the host is built, so that a bad value stops it at once.
    public static IHostApplicationBuilder AddFailureLog(IHostApplicationBuilder builder)
    {
        var interval = TimeSpan.FromSeconds(builder.Configuration.Get(
            "Server:FailureLogIntervalSeconds", 10.0, "a number of seconds greater than 0", seconds => seconds > 0));
        builder.Services.AddSingleton(services => new FailureLog(interval, services.GetRequiredService<ILoggerFactory>()));
        return builder;
    }

    private readonly ConcurrentDictionary<Type, Throttle> _throttles = new();

    public void Write(Integration integration, Exception exception)
    {
        var throttle = _throttles.GetOrAdd(integration.GetType(), type => new Throttle(loggers.CreateLogger(type)));
        int unlogged;
        lock (throttle)
        {
            var now = Stopwatch.GetTimestamp();
            if (throttle.IntervalStart != 0 && Stopwatch.GetElapsedTime(throttle.IntervalStart, now) < _interval)
            {
                throttle.Unlogged++;
                return;
            }

            (unlogged, throttle.Unlogged, throttle.IntervalStart) = (throttle.Unlogged, 0, now);
        }

        if (unlogged > 0)
        {
            throttle.Logger.LogWarning("{Integration} failed {Count} more times within {Seconds} s (each recorded on its span)",
                integration.Name, unlogged, _interval.TotalSeconds);
        }

        throttle.Logger.LogWarning(exception, "{Integration} failed", integration.Name);
    }

    private sealed class Throttle(ILogger logger)
    {
        public ILogger Logger => logger;

        public long IntervalStart { get; set; }

        public int Unlogged { get; set; }
    }
}
