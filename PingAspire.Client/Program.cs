using PingAspire.Client;

var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults(ClientTelemetry.SourceName);
builder.Services.Configure<ClientOptions>(builder.Configuration.GetSection(ClientOptions.SectionName));
builder.Services.AddHttpClient<PingClient>();
builder.Services.AddHostedService<PingWorker>();

builder.Build().Run();
