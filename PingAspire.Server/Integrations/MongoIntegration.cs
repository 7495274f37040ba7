using System.Diagnostics;
using MongoDB.Bson;
using MongoDB.Driver;

namespace PingAspire.Server.Integrations;

// The tutorial's pymongo_integration: find_one() in db "opentelemetry-tests", collection "tests", with server
// selection, connect and each socket operation bounded at 2 s so that a dead or stalled MongoDB fails the request quickly.
public sealed class MongoIntegration(IConfiguration configuration, OperationLayers layers, FailureLog failureLog)
    : Integration("mongo", "mongodb", "find", 1, layers, failureLog)
{
    public const string DatabaseName = "opentelemetry-tests";
    public const string CollectionName = "tests";

    // Server selection, connect and every socket operation.
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private readonly string? _connectionString = configuration.GetConnectionString("mongo");
    private readonly Lazy<IMongoCollection<BsonDocument>> _collection =
        new(() => Connect(configuration.GetConnectionString("mongo")!));

    public override bool IsConfigured => !string.IsNullOrWhiteSpace(_connectionString);

    protected override async Task ExecuteAsync(Activity? span, int length, CancellationToken cancellationToken)
    {
        span?.SetTag("db.namespace", DatabaseName).SetTag("db.collection.name", CollectionName);
        await _collection.Value.Find(FilterDefinition<BsonDocument>.Empty).FirstOrDefaultAsync(cancellationToken);
    }

    // MongoClient is thread-safe and pools connections: one for the process.
    private static IMongoCollection<BsonDocument> Connect(string connectionString)
    {
        var settings = MongoClientSettings.FromConnectionString(connectionString);
        settings.ServerSelectionTimeout = Timeout;
        settings.ConnectTimeout = Timeout;
        // A server that accepts and then stalls would hold the request forever: bound every read and write too.
        settings.SocketTimeout = Timeout;
        return new MongoClient(settings).GetDatabase(DatabaseName).GetCollection<BsonDocument>(CollectionName);
    }
}
