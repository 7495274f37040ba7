using System.Diagnostics;

namespace PingAspire.ServiceDefaults.Telemetry;

public static class SpanFailure
{
    // How every span of PingAspire records a failure: the exception as an event, error.type, and Error status.
    // https://opentelemetry.io/docs/specs/semconv/general/recording-errors/
    public static Activity? RecordFailure(this Activity? span, Exception exception) =>
        span?.AddException(exception)
            .SetTag("error.type", exception.GetType().FullName)
            .SetStatus(ActivityStatusCode.Error, exception.Message);
}
