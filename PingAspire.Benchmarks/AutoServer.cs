using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PingAspire.Server.Apis;
using PingAspire.Server.Integrations;
using PingAspire.ServiceDefaults.Layers;
using PingAspire.ServiceDefaults.Telemetry;

namespace PingAspire.Benchmarks;

// `serve-auto`: the request harness's "auto" variant, a process of its own configured from its environment as the real
// server is (ASPNETCORE_URLS, ConnectionStrings__*, OTEL_EXPORTER_OTLP_*): the server's own integrations and endpoints,
// through the extension methods its Program.cs calls, with what Aspire's default ServiceDefaults does for traces instead
// of the hand-built telemetry. Not the server's binary: its Program.cs is the tutorial's wiring, and OTEL_SDK_DISABLED,
// the one switch that turns that off, turns the SDK off for Aspire's instrumentation too (the SDK honours it for both).
public static class AutoServer
{
    public static async Task<int> ServeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("pingaspire-server"))
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddOtlpExporter());
        builder.AddIntegrations();
        builder.Services.AddSingleton(new IncomingTraceContext(Restart: false));
        builder.Services.AddHttpClient(nameof(TraceContextTestApi));
        builder.Services.AddProblemDetails();
        await using var app = builder.Build();
        app.MapGet("/health", () => "Healthy");
        app.MapPingApi();
        app.MapTraceContextTestApi();

        // Its drops, counted and reported as the manual server's are (SdkWarnings, TelemetrySetup's last line): its figure
        // is only fair if it drops nothing. Spans are dropped as they end, so once it has stopped serving the count is whole.
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(TelemetrySetup.LoggerName);
        using var warnings = new SdkWarnings(logger);
        await app.RunAsync();
        logger.LogInformation("Auto-instrumented server stopped; {Dropped} spans dropped in all", warnings.DroppedSpans);
        return 0;
    }
}
