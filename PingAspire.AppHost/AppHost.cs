using PingAspire.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

var (mode, reason) = Infrastructure.Resolve(builder);
var (redis, redisRunsOn) = builder.AddRedisDependency(mode);
var (mongo, mongoRunsOn) = builder.AddMongoDependency(mode);
Console.WriteLine($"Infrastructure: {mode.ToString().ToLowerInvariant()} ({reason})");
Console.WriteLine($"  redis: {redisRunsOn}; mongo: {mongoRunsOn}; sql: SQLite file");

var server = builder.AddProject<Projects.PingAspire_Server>("server")
    .WithPingTelemetry(serviceVersion: "10.10.9")
    .WithHttpHealthCheck("/health")
    .WithReference(redis)
    .WaitFor(redis);
if (mongo is not null)
{
    server.WithReference(mongo)
        .WaitFor(mongo);
}

builder.AddProject<Projects.PingAspire_Client>("client")
    .WithPingTelemetry(serviceVersion: "10.10.10")
    .WithClientSettings()
    .WithReference(server)
    .WaitFor(server);

builder.Build().Run();
