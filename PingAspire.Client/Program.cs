using PingAspire.Client;

var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults(ClientTelemetry.SourceName);
builder.AddPingClient();
builder.Services.AddHostedService<PingWorker>();

builder.Build().Run();
