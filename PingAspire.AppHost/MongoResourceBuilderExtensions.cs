using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MongoDB.Bson;
using MongoDB.Driver;

namespace PingAspire.AppHost;

public static class MongoResourceBuilderExtensions
{
    public const string Image = "library/mongo";
    public const string Tag = "8.0";
    public const string Registry = "docker.io";

    public static IResourceBuilder<MongoResource> AddMongo(this IDistributedApplicationBuilder builder, string name)
    {
        var password = ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(
            builder, $"{name}-password", special: false);
        var mongo = new MongoResource(name, password);

        // Healthy means MongoDB answers a ping with these credentials, not merely that its port is open:
        // the container's proxy accepts connections long before mongod has finished its first start.
        // One client for all probes (MongoClient pools connections), made once the connection string is known.
        MongoClient? client = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(mongo, async (_, cancellationToken) =>
            client = CreateClient(await mongo.ConnectionStringExpression.GetValueAsync(cancellationToken)));
        var healthCheckKey = $"{name}_ping";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheckKey, cancellationToken => PingAsync(client, cancellationToken));

        return builder.AddResource(mongo)
            .WithImage(Image, Tag)
            .WithImageRegistry(Registry)
            .WithEndpoint(targetPort: MongoResource.MongoPort, name: MongoResource.PrimaryEndpointName)
            .WithEnvironment("MONGO_INITDB_ROOT_USERNAME", MongoResource.UserName)
            .WithEnvironment("MONGO_INITDB_ROOT_PASSWORD", password)
            .WithHealthCheck(healthCheckKey);
    }

    private static MongoClient? CreateClient(string? connectionString)
    {
        if (connectionString is null)
        {
            return null;
        }

        var settings = MongoClientSettings.FromConnectionString(connectionString);
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(2);
        return new MongoClient(settings);
    }

    private static async Task<HealthCheckResult> PingAsync(MongoClient? client, CancellationToken cancellationToken)
    {
        if (client is null)
        {
            return HealthCheckResult.Unhealthy("No connection string yet.");
        }

        await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: cancellationToken);
        return HealthCheckResult.Healthy();
    }
}
