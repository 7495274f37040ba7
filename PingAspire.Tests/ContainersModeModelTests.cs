using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using PingAspire.AppHost;

namespace PingAspire.Tests;

// Containers mode cannot run here (no container runtime), so its model is built and inspected without starting it:
// images, environment, connection-string expressions and the wait/reference graph.
public sealed class ContainersModeModelTests
{
    [Fact]
    public async Task RedisIsTheAspireRedisContainer()
    {
        var model = await BuildModelAsync();

        var redis = Assert.IsType<RedisResource>(model.Single(r => r.Name == "redis"));
        var image = Image(redis);
        Assert.Equal("docker.io", image.Registry);
        Assert.Equal("library/redis", image.Image);
        Assert.Contains("{redis.bindings.tcp.host}:{redis.bindings.tcp.port}", redis.ConnectionStringExpression.ValueExpression, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MongoIsOurContainerWithAGeneratedRootPasswordAndAPingHealthCheck()
    {
        var model = await BuildModelAsync();

        var mongo = Assert.IsType<MongoResource>(model.Single(r => r.Name == "mongo"));
        var image = Image(mongo);
        Assert.Equal(("docker.io", "library/mongo", "8.0"), (image.Registry, image.Image, image.Tag));
        Assert.Equal(
            "mongodb://admin:{mongo-password.value}@{mongo.bindings.tcp.host}:{mongo.bindings.tcp.port}/?authSource=admin",
            mongo.ConnectionStringExpression.ValueExpression);
        Assert.True(mongo.Password.Secret);
        Assert.Contains(mongo.Annotations.OfType<EndpointAnnotation>(), e => e.Name == "tcp" && e.TargetPort == 27017);

        var environment = await EnvironmentOf(mongo);
        Assert.Equal("admin", environment["MONGO_INITDB_ROOT_USERNAME"]);
        Assert.Equal("{mongo-password.value}", environment["MONGO_INITDB_ROOT_PASSWORD"]);
        Assert.Contains(mongo.Annotations.OfType<HealthCheckAnnotation>(), h => h.Key == "mongo_ping");
    }

    // A password override may hold URI delimiters: the connection string escapes it, and the driver reads it back.
    [Fact]
    public async Task MongoPasswordIsEscapedInTheConnectionString()
    {
        const string Password = "p@ss:w/rd%?#";
        var model = await BuildModelAsync($"Parameters:mongo-password={Password}");
        var mongo = Assert.IsType<MongoResource>(model.Single(r => r.Name == "mongo"));
        var endpoint = mongo.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "tcp");
        endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, "localhost", 27017);

        var connectionString = await mongo.ConnectionStringExpression.GetValueAsync(TestContext.Current.CancellationToken);

        var url = new MongoDB.Driver.MongoUrl(connectionString);
        Assert.Equal(("admin", Password, "localhost:27017"), (url.Username, url.Password, url.Server.ToString()));
    }

    [Fact]
    public async Task ServerWaitsForAndReferencesBothDatabasesAndClientWaitsForServer()
    {
        var model = await BuildModelAsync();
        var server = model.OfType<ProjectResource>().Single(r => r.Name == ServiceNames.Server);
        var client = model.OfType<ProjectResource>().Single(r => r.Name == ServiceNames.Client);

        Assert.Equal(["mongo", "redis", "sql"], WaitsFor(server));
        Assert.Equal([ServiceNames.Server], WaitsFor(client));

        var serverEnvironment = await EnvironmentOf(server);
        Assert.Equal("{redis.connectionString}", serverEnvironment["ConnectionStrings__redis"]);
        Assert.Equal("{mongo.connectionString}", serverEnvironment["ConnectionStrings__mongo"]);
        Assert.Equal("{sql.connectionString}", serverEnvironment["ConnectionStrings__sql"]);
        Assert.Contains("service.version=10.10.9", serverEnvironment["OTEL_RESOURCE_ATTRIBUTES"], StringComparison.Ordinal);
        Assert.Contains(server.Annotations.OfType<HealthCheckAnnotation>(), _ => true);

        var clientEnvironment = await EnvironmentOf(client);
        Assert.Contains("service.version=10.10.10", clientEnvironment["OTEL_RESOURCE_ATTRIBUTES"], StringComparison.Ordinal);
        Assert.Equal($"{{{ServiceNames.Server}.bindings.http.url}}", clientEnvironment[$"services__{ServiceNames.Server}__http__0"]);
    }

    // Run by a user (no ConnectionStrings:sql), the SQLite file is theirs: in their own data folder, never a folder
    // every user of the machine shares.
    [Fact]
    public async Task TheSqliteFileIsInTheUsersOwnDataFolder()
    {
        var model = await BuildModelAsync();
        var sql = Assert.IsAssignableFrom<IResourceWithConnectionString>(model.Single(r => r.Name == "sql"));

        var connectionString = await sql.GetConnectionStringAsync(TestContext.Current.CancellationToken);

        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
        Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "PingAspire", "pingaspire.db"), file);
    }

    [Fact]
    public async Task AnInvalidInfrastructureValueStopsTheAppHostNamingIt()
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() =>
            DistributedApplicationTestingBuilder.CreateAsync<Projects.PingAspire_AppHost>(["Infrastructure=kubernetes"], TestContext.Current.CancellationToken));

        Assert.Contains("Infrastructure must be auto, containers or local; got 'kubernetes'", refused.ToString(), StringComparison.Ordinal);
    }

    private static async Task<IResourceCollection> BuildModelAsync(params string[] args)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.PingAspire_AppHost>(
            ["Infrastructure=containers", .. args], TestContext.Current.CancellationToken);
        return builder.Resources;
    }

    private static ContainerImageAnnotation Image(IResource resource) =>
        Assert.Single(resource.Annotations.OfType<ContainerImageAnnotation>());

    private static string[] WaitsFor(IResource resource) =>
        resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).Order().ToArray();

    // Runs the resource's environment callbacks as publishing would, and shows each value as its manifest expression
    // ("{redis.connectionString}"): what the value is wired to, not what it happens to be on this machine.
    private static async Task<Dictionary<string, string>> EnvironmentOf(IResourceWithEnvironment resource)
    {
        var context = new EnvironmentCallbackContext(
            new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish),
            resource,
            cancellationToken: TestContext.Current.CancellationToken);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return context.EnvironmentVariables.ToDictionary(e => e.Key, e => e.Value switch
        {
            string text => text,
            IManifestExpressionProvider expression => expression.ValueExpression,
            var other => other.ToString() ?? "",
        });
    }
}
