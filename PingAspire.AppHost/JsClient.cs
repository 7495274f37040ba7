using Microsoft.Extensions.Configuration;

namespace PingAspire.AppHost;

// The tutorial's client in another language (PingAspire.JsClient/client.js on OpenTelemetry JS), next to the C#
// client: one trace across both languages, only through W3C Trace Context. Node.js runs it as an executable
// (Aspire.Hosting.JavaScript is not available here); its packages are installed with `npm ci` when missing.
// JsClient:Enabled=false leaves it out; so does a machine without Node.js.
public static class JsClient
{
    public static string AddJsClient(this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> server)
    {
        if (!builder.Configuration.GetValue("JsClient:Enabled", true))
        {
            return "off (JsClient:Enabled=false)";
        }

        if (ProgramsOnPath.Find("node") is not { } node || ProgramsOnPath.Find("npm") is not { } npm)
        {
            return "off (Node.js is not installed: no node and npm on PATH)";
        }

        var directory = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "PingAspire.JsClient"));
        var client = builder.AddExecutable(ServiceNames.JsClient, node, directory, "client.js")
            .WithOtlpExporter()
            .WithPingTelemetry(serviceVersion: "10.10.11")
            .WithForwardedSection("JsClient")
            .WithReference(server)
            .WaitFor(server);
        if (!Directory.Exists(Path.Combine(directory, "node_modules")))
        {
            // On Windows npm is npm.cmd, a batch file: only cmd.exe runs it.
            string[] install = ["ci", "--no-audit", "--no-fund"];
            var npmCi = OperatingSystem.IsWindows()
                ? builder.AddExecutable($"{ServiceNames.JsClient}-install", "cmd.exe", directory, ["/c", npm, .. install])
                : builder.AddExecutable($"{ServiceNames.JsClient}-install", npm, directory, install);
            client.WaitForCompletion(npmCi);
            return "Node.js (npm ci first)";
        }

        return "Node.js";
    }
}
