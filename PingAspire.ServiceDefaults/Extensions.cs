using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PingAspire.ServiceDefaults.Layers;
using PingAspire.ServiceDefaults.Telemetry;

namespace Microsoft.Extensions.Hosting;

// What every PingAspire process shares: hand-built telemetry, no hidden propagation, service discovery, health.
public static class Extensions
{
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, string activitySourceName)
        where TBuilder : IHostApplicationBuilder
    {
        Settings.ExitOnRefusal();
        builder.AddManualTelemetry(activitySourceName);
        builder.Services.AddSingleton<System.Diagnostics.DistributedContextPropagator>(new NoPropagation());

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http => http.AddServiceDiscovery()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // HttpClient's DiagnosticsHandler writes traceparent whenever Activity.Current is set: left on, the
                // traces would connect even if the hand-written inject did nothing.
                ActivityHeadersPropagator = null,
                // With replicas behind one address, the orchestrator's proxy balances connections, not requests: a
                // pooled connection that lives for ever would send every request to the same replica.
                PooledConnectionLifetime = TimeSpan.FromSeconds(2),
            }));

        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health");
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") });
        return app;
    }
}
