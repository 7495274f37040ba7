using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;

namespace PingAspire.ServiceDefaults.Tracing;

// The tutorial's OTLPSpanExporter(endpoint="ingest.lightstep.com:443", headers=(("lightstep-access-token", token),)).
// .NET's gRPC exporter needs the scheme in the endpoint, hence https://.
public static class LightstepExporter
{
    public const string DefaultEndpoint = "https://ingest.lightstep.com:443";
    public const string TokenHeader = "lightstep-access-token";

    public static OtlpTraceExporter? Create(IConfiguration configuration, ILogger logger)
    {
        var token = configuration["LS_ACCESS_TOKEN"];
        if (string.IsNullOrWhiteSpace(token))
        {
            logger.LogInformation("Lightstep export is off: LS_ACCESS_TOKEN is not set");
            return null;
        }

        var endpoint = new Uri(configuration["LS_SATELLITE_URL"] is { Length: > 0 } url ? url : DefaultEndpoint);
        // The token is a secret: it goes into the header and nowhere else, never into a log line.
        logger.LogInformation("Lightstep export is on: {Endpoint}", endpoint);
        return new OtlpTraceExporter(new OtlpExporterOptions
        {
            Protocol = OtlpExportProtocol.Grpc,
            Endpoint = endpoint,
            Headers = $"{TokenHeader}={token}",
        });
    }
}
