using Microsoft.Extensions.Configuration;

namespace PingAspire.AppHost;

// What each project needs to describe itself and to reach Lightstep; the tracing itself is built in the project
// (PingAspire.ServiceDefaults/Telemetry/ManualTelemetry.cs).
public static class TelemetryResourceBuilderExtensions
{
    public const string ResourceAttributesVariable = "OTEL_RESOURCE_ATTRIBUTES";

    public static IResourceBuilder<T> WithPingTelemetry<T>(this IResourceBuilder<T> project, string serviceVersion)
        where T : IResourceWithEnvironment
    {
        var builder = project.ApplicationBuilder;
        var attributes =
            $"service.version={serviceVersion},deployment.environment.name={builder.Environment.EnvironmentName.ToLowerInvariant()}";

        // Aspire has already put service.instance.id here (the dashboard groups replicas by it): append, never replace.
        project.WithEnvironment(context =>
            context.EnvironmentVariables[ResourceAttributesVariable] =
                context.EnvironmentVariables.TryGetValue(ResourceAttributesVariable, out var existing)
                && existing is string { Length: > 0 } current
                    ? $"{current},{attributes}"
                    : attributes);

        // The token is a secret parameter: shown masked in the dashboard, never printed.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["LS_ACCESS_TOKEN"]))
        {
            var token = builder.Resources.OfType<ParameterResource>().FirstOrDefault(p => p.Name == "ls-access-token")
                ?? builder.AddParameterFromConfiguration("ls-access-token", "LS_ACCESS_TOKEN", secret: true).Resource;
            project.WithEnvironment("LS_ACCESS_TOKEN", token);
        }

        // Every process gets the same endpoint and the same sampling ratio: the same rule on the same trace id then
        // keeps or drops a trace in all of them (PingAspire.ServiceDefaults/Telemetry/ConsistentSampling.cs).
        foreach (var setting in new[] { "LS_SATELLITE_URL", "LS_TRACES_SAMPLE_RATIO" })
        {
            if (builder.Configuration[setting] is { Length: > 0 } value)
            {
                project.WithEnvironment(setting, value);
            }
        }

        return project;
    }

    // A configuration section given to the AppHost (command line, environment, appsettings) reaches the project
    // unchanged: Client:* for the client, JsClient:* for the JavaScript client, Server:* for the server.
    public static IResourceBuilder<T> WithForwardedSection<T>(this IResourceBuilder<T> project, string section)
        where T : IResourceWithEnvironment
    {
        foreach (var setting in project.ApplicationBuilder.Configuration.GetSection(section).AsEnumerable(true))
        {
            if (setting.Value is not null)
            {
                project.WithEnvironment($"{section}__{setting.Key.Replace(":", "__", StringComparison.Ordinal)}", setting.Value);
            }
        }

        return project;
    }
}
