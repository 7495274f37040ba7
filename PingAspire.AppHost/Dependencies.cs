using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace PingAspire.AppHost;

// Where each dependency comes from. A configured connection string (ConnectionStrings:redis, ConnectionStrings:mongo)
// always wins: an existing server. Otherwise containers where a runtime is healthy, local stand-ins where not.
public static class Dependencies
{
    public static (IResourceBuilder<IResourceWithConnectionString> Redis, string Description) AddRedisDependency(
        this IDistributedApplicationBuilder builder, InfrastructureMode mode, string name = "redis")
    {
        if (HasConnectionString(builder, name))
        {
            return (builder.AddConnectionString(name), "existing server (ConnectionStrings:redis)");
        }

        if (mode == InfrastructureMode.Containers)
        {
            return (builder.AddRedis(name), "container");
        }

        var garnet = builder.AddGarnet(name);
        return (garnet, $"Garnet on 127.0.0.1:{garnet.Resource.Port}");
    }

    // No MongoDB server can be obtained without containers, so local mode leaves it out unless one is configured.
    public static (IResourceBuilder<IResourceWithConnectionString>? Mongo, string Description) AddMongoDependency(
        this IDistributedApplicationBuilder builder, InfrastructureMode mode, string name = "mongo")
    {
        if (HasConnectionString(builder, name))
        {
            return (builder.AddConnectionString(name), "existing server (ConnectionStrings:mongo)");
        }

        return mode == InfrastructureMode.Containers
            ? (builder.AddMongo(name), "container")
            : (null, "off (no containers; set ConnectionStrings:mongo to use an existing server)");
    }

    // SQLite is embedded in the server: the AppHost only says where its file is. A configured connection string
    // moves it (e.g. to test an unwritable one); otherwise it belongs to the user running the AppHost, never to a
    // folder that every user shares.
    public static (IResourceBuilder<IResourceWithConnectionString> Sql, string Description) AddSqlDependency(
        this IDistributedApplicationBuilder builder, string name = "sql")
    {
        if (HasConnectionString(builder, name))
        {
            return (builder.AddConnectionString(name), "SQLite (ConnectionStrings:sql)");
        }

        var file = Path.Combine(
            Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
            "PingAspire", "pingaspire.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file }.ToString();
        return (builder.AddConnectionString(name, ReferenceExpression.Create($"{connectionString}")), $"SQLite file {file}");
    }

    private static bool HasConnectionString(IDistributedApplicationBuilder builder, string name) =>
        !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name));
}
