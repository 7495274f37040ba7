using Microsoft.Extensions.Configuration;
using PingAspire.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

var (mode, reason) = Infrastructure.Resolve(builder);
var (redis, redisRunsOn) = builder.AddRedisDependency(mode);
var (mongo, mongoRunsOn) = builder.AddMongoDependency(mode);
var (sql, sqlRunsOn) = builder.AddSqlDependency();
Console.WriteLine($"Infrastructure: {mode.ToString().ToLowerInvariant()} ({reason})");
Console.WriteLine($"  redis: {redisRunsOn}; mongo: {mongoRunsOn}; sql: {sqlRunsOn}");

var server = builder.AddProject<Projects.PingAspire_Server>(ServiceNames.Server)
    .WithPingTelemetry(serviceVersion: "10.10.9")
    .WithForwardedSection("Server")
    // The launch profile's port (5180, for running the server alone) would be this resource's fixed proxy port: a
    // second AppHost could not take it, and its client would call the first one's server. Any free port instead.
    .WithEndpoint("http", endpoint => endpoint.Port = null)
    .WithPromptHttpHealthCheck("/health")
    .WithFaultCommands()
    .WithReplicas(builder.Configuration.GetValue("Server:Replicas", 1))
    .WithReference(redis)
    .WaitFor(redis)
    .WithReference(sql)
    .WaitFor(sql);
if (mongo is not null)
{
    server.WithReference(mongo)
        .WaitFor(mongo);
}

builder.AddProject<Projects.PingAspire_Client>(ServiceNames.Client)
    .WithPingTelemetry(serviceVersion: "10.10.10")
    .WithForwardedSection("Client")
    .WithReference(server)
    .WaitFor(server);

var (_, jsClientRunsOn) = builder.AddJsClient(server);
Console.WriteLine($"  jsclient: {jsClientRunsOn}");

builder.Build().Run();
