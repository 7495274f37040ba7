namespace PingAspire.AppHost;

// The resource names of the three programs that export telemetry. Aspire gives each project its resource name as
// OTEL_SERVICE_NAME, and the dashboard matches telemetry to a resource by "{service.name}-{service.instance.id}", so
// the resource name IS the service name Lightstep shows. In a shared Lightstep project, "server" and "client" could
// be anyone's: these are findable, like the tutorial's py-opentelemetry-manual-otlp-server/-client.
public static class ServiceNames
{
    public const string Server = "pingaspire-server";
    public const string Client = "pingaspire-client";
    public const string JsClient = "pingaspire-jsclient";
}
