using PingAspire.Server;
using PingAspire.Server.Apis;
using PingAspire.Server.Integrations;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults(ServerTelemetry.SourceName);
builder.AddIntegrations();
builder.Services.AddSingleton(IncomingTraceContext.From(builder.Configuration));
builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = ServerSpan.AddTraceId);
builder.Services.AddHttpClient(nameof(TraceContextTestApi));

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapDefaultEndpoints();
app.MapPingApi();
app.MapTraceContextTestApi();
app.MapFaultsApi();

app.Run();
