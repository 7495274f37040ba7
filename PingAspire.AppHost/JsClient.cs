using Microsoft.Extensions.Configuration;

namespace PingAspire.AppHost;

// The tutorial's client in another language (PingAspire.JsClient/client.js on OpenTelemetry JS), next to the C#
// client: one trace across both languages, only through W3C Trace Context. Node.js runs it as an executable
// (Aspire.Hosting.JavaScript is not available here); its packages are installed with `npm ci` when missing.
// JsClient:Enabled=false leaves it out; so does a machine without Node.js.
public static class JsClient
{
    // The client's resource where it runs, and how it runs (or why not), for the AppHost's start-up lines.
    public static (IResourceBuilder<ExecutableResource>? JsClient, string Description) AddJsClient(
        this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> server)
    {
        if (!builder.Configuration.GetValue("JsClient:Enabled", true))
        {
            return (null, "off (JsClient:Enabled=false)");
        }

        if (ProgramsOnPath.Find("node") is not { } node || ProgramsOnPath.Find("npm") is not { } npm)
        {
            return (null, "off (Node.js is not installed: no node and npm on PATH)");
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
            var (command, args) = NpmCi(npm, OperatingSystem.IsWindows());
            client.WaitForCompletion(builder.AddExecutable($"{ServiceNames.JsClient}-install", command, directory, args));
            return (client, "Node.js (npm ci first)");
        }

        return (client, "Node.js");
    }

    // On Windows npm is npm.cmd, a batch file: only cmd.exe runs it.
    public static (string Command, string[] Args) NpmCi(string npm, bool isWindows) =>
        isWindows ? ("cmd.exe", ["/c", npm, "ci", "--no-audit", "--no-fund"]) : (npm, ["ci", "--no-audit", "--no-fund"]);
}
