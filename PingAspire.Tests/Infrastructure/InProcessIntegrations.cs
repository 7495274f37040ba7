using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PingAspire.Server;
using PingAspire.Server.Integrations;

namespace PingAspire.Tests.Infrastructure;

// The server's real integrations (PingAspire.Server/Integrations), built from configuration as the server builds
// them, without an AppHost: for failures that need no orchestration, only a real client against a real (or really
// broken) database. Records the spans they start.
public sealed class InProcessIntegrations : IDisposable
{
    private readonly IHost _host;
    private readonly ActivityListener _listener;
    private readonly List<Activity> _spans = [];

    public InProcessIntegrations(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.AddIntegrations();
        _host = builder.Build();
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ServerTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = span =>
            {
                lock (_spans)
                {
                    _spans.Add(span);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IEnumerable<Integration> All => _host.Services.GetServices<Integration>();

    public IReadOnlyList<Activity> Spans
    {
        get
        {
            lock (_spans)
            {
                return [.. _spans];
            }
        }
    }

    public Activity Span(string name) => Assert.Single(Spans, s => s.DisplayName == name);

    public void Dispose()
    {
        _listener.Dispose();
        _host.Dispose();
    }
}
