using System.Diagnostics;
using PingAspire.AppHost;
using PingAspire.TestSupport;

namespace PingAspire.Tests.Infrastructure;

// The JavaScript client (PingAspire.JsClient/client.js) run by the tests themselves, and the rule for machines
// without Node.js.
public static class NodeJs
{
    public static string ClientFolder { get; } =
        Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "PingAspire.JsClient"));

    public static bool IsAvailable => ProgramsOnPath.Contains("node");

    // `node client.js` in PingAspire.JsClient, as the AppHost starts it (the AppHost's npm ci has run: .ci/run).
    public static ProcessStartInfo Client(OtlpReceiver? dashboard = null, HeaderRecordingServer? server = null)
    {
        var start = new ProcessStartInfo(ProgramsOnPath.Find("node") ?? "node", ["client.js"]) { WorkingDirectory = ClientFolder };
        if (dashboard is not null)
        {
            start.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = dashboard.Endpoint.ToString();
            start.Environment["OTEL_BSP_SCHEDULE_DELAY"] = "100";
        }

        if (server is not null)
        {
            start.Environment["JsClient__ServerUrl"] = server.Url.ToString();
        }

        return start;
    }

    // Where Node.js is missing the AppHost leaves the JavaScript client out; on CI (.ci/run installs it) that is a failure.
    public static void SkipWithoutNode() =>
        Assert.SkipWhen(
            !IsAvailable && Environment.GetEnvironmentVariable("CI") != "true",
            "Node.js is not installed (apt-get install nodejs npm; .ci/run does).");
}
