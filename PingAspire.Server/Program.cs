using PingAspire.Server;
using PingAspire.Server.Apis;
using PingAspire.Server.Integrations;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults(ServerTelemetry.SourceName);
builder.AddIntegrations();
builder.Services.AddSingleton(IncomingTraceContext.From(builder.Configuration));
// Beyond the tutorial, a line each: dependency metrics, then faults on demand, around every operation (in this order).
builder.Services.AddSingleton<IOperationLayer, DependencyMetrics>();
builder.AddFaults();
builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemTraceId.Add);
builder.Services.AddHttpClient(nameof(TraceContextTestApi));

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<RequestMetrics>();
app.MapDefaultEndpoints();
app.MapPingApi();
app.MapTraceContextTestApi();
app.MapFaultsApi();

app.Run();
