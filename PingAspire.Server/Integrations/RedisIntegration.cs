using System.Diagnostics;
using StackExchange.Redis;

namespace PingAspire.Server.Integrations;

// The tutorial's redis_integration: write the request's length and read it back. One key per request (the tutorial's
// single "length" key would let concurrent requests read each other's value), expiring so the store stays small.
public sealed class RedisIntegration(IConfiguration configuration, ILogger<RedisIntegration> logger)
    : Integration("redis", "redis", "SET GET", logger), IDisposable
{
    private readonly string? _connectionString = configuration.GetConnectionString("redis");
    private readonly Lazy<ConnectionMultiplexer> _connection = new(() => Connect(configuration.GetConnectionString("redis")!));

    private static readonly TimeSpan KeyLifetime = TimeSpan.FromMinutes(1);

    public override bool IsConfigured => !string.IsNullOrWhiteSpace(_connectionString);

    protected override async Task ExecuteAsync(Activity? span, int length, CancellationToken cancellationToken)
    {
        var database = _connection.Value.GetDatabase();
        span?.SetTag("db.namespace", database.Database.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var key = $"length:{Guid.NewGuid():N}";
        await database.StringSetAsync(key, length, KeyLifetime);
        var stored = await database.StringGetAsync(key);
        if (stored != length)
        {
            throw new InvalidOperationException($"Redis returned '{stored}' for '{key}', expected {length}.");
        }
    }

    // One multiplexer for the process (it is thread-safe and reconnects on its own). Fail fast while disconnected
    // instead of queueing commands, so that a dead Redis costs a request milliseconds, not the whole timeout.
    private static ConnectionMultiplexer Connect(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.AsyncTimeout = 2000;
        options.SyncTimeout = 2000;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return ConnectionMultiplexer.Connect(options);
    }

    public void Dispose()
    {
        if (_connection.IsValueCreated)
        {
            _connection.Value.Dispose();
        }
    }
}
