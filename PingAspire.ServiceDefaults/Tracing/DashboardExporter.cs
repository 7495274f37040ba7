using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;

namespace PingAspire.ServiceDefaults.Tracing;

// The exporter to the Aspire dashboard, configured from the standard OTEL_EXPORTER_OTLP_* variables that the
// AppHost injects into every project.
public static class DashboardExporter
{
    public static OtlpTraceExporter? Create(IConfiguration configuration, ILogger logger)
    {
        var endpoint = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            logger.LogInformation("Dashboard export is off: OTEL_EXPORTER_OTLP_ENDPOINT is not set");
            return null;
        }

        var protocol = configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] == "http/protobuf"
            ? OtlpExportProtocol.HttpProtobuf
            : OtlpExportProtocol.Grpc;

        var options = new OtlpExporterOptions
        {
            Protocol = protocol,
            // An endpoint set in code is used as is, so http/protobuf needs its signal path added here;
            // gRPC addresses the service, not a path.
            Endpoint = protocol == OtlpExportProtocol.HttpProtobuf
                ? new Uri(endpoint.TrimEnd('/') + "/v1/traces")
                : new Uri(endpoint),
            // The dashboard's OTLP API key arrives here; without it every export is answered 401.
            Headers = configuration["OTEL_EXPORTER_OTLP_HEADERS"],
        };
        logger.LogInformation("Dashboard export is on: {Endpoint} ({Protocol})", options.Endpoint, protocol);
        return new OtlpTraceExporter(options);
    }
}
