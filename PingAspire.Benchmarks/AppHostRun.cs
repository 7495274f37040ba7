using System.Diagnostics;
using System.Text.RegularExpressions;

namespace PingAspire.Benchmarks;

// One `dotnet run --no-build --project <apphost>` (or `aspire run --no-build`, given the Aspire CLI) as a user starts
// it, and what its console says: the dashboard's address, and when each line and resource event (Aspire's own record
// of state and health) came.
public sealed partial class AppHostRun(ChildProcess process) : IAsyncDisposable
{
    public TimeSpan Elapsed => process.Elapsed;

    public DateTimeOffset StartedAt => process.StartedAt;

    public bool HasExited => process.HasExited;

    public string Output => string.Join(Environment.NewLine, process.Lines.Select(l => l.Line));

    public static AppHostRun Start(string repository, string project, string? aspireCli = null)
    {
        // A process group of its own (setsid), so that stopping it is a terminal's Ctrl+C: SIGINT to the group. The
        // Aspire CLI writes its settings file where it runs: a folder of its own, not the checkout.
        var start = new ProcessStartInfo("setsid", aspireCli is null
            ? ["dotnet", "run", "--project", project, "--no-build"]
            : [aspireCli, "run", "--no-build", "--non-interactive", "--nologo", "--apphost", Path.Combine(repository, project)])
        {
            WorkingDirectory = aspireCli is null ? repository : Directory.CreateTempSubdirectory("pingaspire-aspire-run-").FullName,
        };
        // The telemetry API without the login token (loopback only), and resource events on the console.
        start.Environment["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true";
        start.Environment["Logging__LogLevel__Aspire.Hosting.ApplicationModel"] = "Trace";
        return new AppHostRun(new ChildProcess(start, "-INT", group: true));
    }

    // "Now listening on: http://localhost:41234", the dashboard's first line about itself (the Aspire CLI's: "Dashboard: <url>").
    public Uri? DashboardUrl =>
        process.Lines.Select(l => ListeningOn().Match(l.Line)).FirstOrDefault(m => m.Success) is { } match ? new Uri(match.Groups[1].Value) : null;

    public TimeSpan? FirstLine(Regex pattern) => process.Lines.Where(l => pattern.IsMatch(l.Line)).Select(l => (TimeSpan?)l.At).FirstOrDefault();

    // When the resource (its first replica) reached the state: Starting, Running, or Healthy (running and healthy).
    public TimeSpan? Reached(string resource, string state) => FirstLine(state == "Healthy"
        ? new Regex($@"Resource {Regex.Escape(resource)}/\S+ update published: .*State = \{{ Text = Running,.*HeathStatus = Healthy")
        : new Regex($@"Resource {Regex.Escape(resource)}/\S+ changed state: (\S+ -> )?{state}$"));

    [GeneratedRegex(@"(?:Now listening on: |Dashboard.*?)(http://localhost:\d+)")]
    private static partial Regex ListeningOn();

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
