using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Resources;

namespace PingAspire.ServiceDefaults.Tracing;

// The tutorial's Resource.create() with its default service name, read from IConfiguration (environment included)
// so that the rules below are the whole story. Spec: https://opentelemetry.io/docs/specs/otel/resource/sdk/
public static class ServiceResource
{
    public const string DefaultServiceName = "pingaspire-manual-otlp";

    public static ResourceBuilder Create(IConfiguration configuration, ILogger logger)
    {
        var attributes = ParseAttributes(configuration["OTEL_RESOURCE_ATTRIBUTES"], logger);

        // OTEL_SERVICE_NAME wins over service.name in OTEL_RESOURCE_ATTRIBUTES (spec rule).
        var serviceName = configuration["OTEL_SERVICE_NAME"];
        if (string.IsNullOrWhiteSpace(serviceName))
        {
            serviceName = attributes.GetValueOrDefault("service.name");
        }

        if (string.IsNullOrWhiteSpace(serviceName))
        {
            logger.LogInformation("Using default service name {ServiceName}", DefaultServiceName);
            serviceName = DefaultServiceName;
        }

        attributes["service.name"] = serviceName;
        return ResourceBuilder.CreateEmpty()
            .AddTelemetrySdk()
            .AddAttributes(attributes.Select(a => new KeyValuePair<string, object>(a.Key, a.Value)));
    }

    // "key1=value1,key2=value2", values percent-encoded. The spec says to discard the whole variable when
    // any member is malformed, rather than guess which half of it was meant.
    public static Dictionary<string, string> ParseAttributes(string? value, ILogger logger)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(value))
        {
            return attributes;
        }

        foreach (var member in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = member.IndexOf('=');
            if (separator <= 0)
            {
                logger.LogWarning("OTEL_RESOURCE_ATTRIBUTES ignored: member '{Member}' is not key=value", member);
                return [];
            }

            attributes[member[..separator].Trim()] = Uri.UnescapeDataString(member[(separator + 1)..].Trim());
        }

        return attributes;
    }
}
