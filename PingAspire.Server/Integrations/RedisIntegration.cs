using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace PingAspire.Server.Integrations;

// The tutorial's redis_integration: write the request's length and read it back, SET and GET in one batch (one round
// trip). One key per request (the tutorial's single "length" key would let concurrent requests read each other's
// value), expiring so the store stays small.
// The multiplexer comes from Aspire's Redis client integration, registered only when ConnectionStrings:redis is set.
public sealed class RedisIntegration(OperationLayers layers, FailureLog failureLog, IConnectionMultiplexer? connection = null)
    : Integration("redis", "redis", "BATCH", 2, layers, failureLog)
{
    // Each command's bound: a request with Redis slow or away fails within this (tests derive their bounds from it).
    public const int CommandTimeoutMilliseconds = 2000;

    private static readonly TimeSpan KeyLifetime = TimeSpan.FromMinutes(1);

    public override bool IsConfigured => connection is not null;

    // Aspire.StackExchange.Redis: one multiplexer for the process (thread-safe, reconnects on its own), configured
    // from ConnectionStrings:redis. Its tracing is off, so that the Redis spans are the hand-made ones below, and its
    // health check too: /health says whether the server serves; a Redis outage shows per request (503, red span).
    // Fail fast while disconnected instead of queueing commands: a dead Redis costs a request milliseconds.
    public static void AddClient(IHostApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("redis")))
        {
            return;
        }

        builder.AddRedisClient("redis",
            settings =>
            {
                settings.DisableTracing = true;
                settings.DisableHealthChecks = true;
            },
            options =>
            {
                options.AbortOnConnectFail = false;
                // The library's default: a connect to a local Redis at a busy start on 2 cores took over 2 s and was
                // logged as a failure. Only the very first connect is waited for; later, requests fail fast while
                // disconnected.
                options.ConnectTimeout = 5000;
                options.AsyncTimeout = CommandTimeoutMilliseconds;
                options.SyncTimeout = CommandTimeoutMilliseconds;
                options.BacklogPolicy = BacklogPolicy.FailFast;
                // No pub/sub here: without SUBSCRIBE the multiplexer opens one connection, not a second one whose
                // (slow, at a busy start) connect would be logged as a failure although nothing uses it.
                options.CommandMap = CommandMap.Create(["SUBSCRIBE"], available: false);
                options.ConfigurationChannel = "";
            });
    }

    protected override async Task ExecuteAsync(Activity? span, int length, CancellationToken cancellationToken)
    {
        var database = connection!.GetDatabase();
        span?.SetTag("db.namespace", database.Database.ToString(CultureInfo.InvariantCulture));
        var key = $"length:{Guid.NewGuid():N}";
        var batch = database.CreateBatch();
        var set = batch.StringSetAsync(key, length, KeyLifetime);
        var get = batch.StringGetAsync(key);
        batch.Execute();
        await set;
        var stored = await get;
        if (stored != length)
        {
            throw new InvalidOperationException($"Redis returned '{stored}' for '{key}', expected {length}.");
        }
    }
}
