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
    .WithAnyFreePort()
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
    // Started beside the server, not after it: the client waits for the server's health itself (ServerReadiness.cs).
    .WaitForStart(server);

var (_, jsClientRunsOn) = builder.AddJsClient(server);
Console.WriteLine($"  jsclient: {jsClientRunsOn}");

builder.Build().Run();
