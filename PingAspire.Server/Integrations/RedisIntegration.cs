using System.Diagnostics;
using StackExchange.Redis;

namespace PingAspire.Server.Integrations;

// The tutorial's redis_integration: write the request's length under key "length" and read it back.
public sealed class RedisIntegration(IConfiguration configuration, ILogger<RedisIntegration> logger)
    : Integration("redis", "redis", "SET GET", logger), IDisposable
{
    private readonly string? _connectionString = configuration.GetConnectionString("redis");
    private readonly Lazy<ConnectionMultiplexer> _connection = new(() => Connect(configuration.GetConnectionString("redis")!));

    public override bool IsConfigured => !string.IsNullOrWhiteSpace(_connectionString);

    protected override async Task ExecuteAsync(Activity? span, int length, CancellationToken cancellationToken)
    {
        var database = _connection.Value.GetDatabase();
        span?.SetTag("db.namespace", database.Database.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await database.StringSetAsync("length", length);
        var stored = await database.StringGetAsync("length");
        if (stored != length)
        {
            throw new InvalidOperationException($"Redis returned '{stored}' for 'length', expected {length}.");
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
