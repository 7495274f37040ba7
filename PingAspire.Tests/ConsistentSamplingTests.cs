using System.Diagnostics;
using System.Text.Json;
using PingAspire.AppHost;
using PingAspire.ServiceDefaults.Layers;
using PingAspire.ServiceDefaults.Telemetry;
using PingAspire.TestSupport;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// LS_TRACES_SAMPLE_RATIO: Lightstep gets a share of the traces, each whole, decided from the trace id by the same rule
// in every process and both languages; the dashboard gets every span, and no metric or log is sampled.
[Collection(nameof(SampledAppHost))]
public sealed class ConsistentSamplingTests(SampledAppHost fixture)
{
    private static readonly string JsClientFolder = NodeJs.ClientFolder;

    public static TheoryData<double, string, bool, string> Cases()
    {
        var data = new TheoryData<double, string, bool, string>();
        using var table = JsonDocument.Parse(File.ReadAllText(Path.Combine(JsClientFolder, "sampling-cases.json")));
        foreach (var row in table.RootElement.EnumerateArray())
        {
            data.Add(row.GetProperty("ratio").GetDouble(), row.GetProperty("traceId").GetString()!, row.GetProperty("keep").GetBoolean(), row.GetProperty("why").GetString()!);
        }

        return data;
    }

    // The shared table (PingAspire.JsClient/sampling-cases.json): boundary cases worked out from the rule, not from
    // either implementation.
    [Theory]
    [MemberData(nameof(Cases))]
    public void TheCSharpRuleDecidesAsTheSharedTable(double ratio, string traceId, bool keep, string why) =>
        Assert.True(keep == ConsistentSampling.Keeps(ActivityTraceId.CreateFromString(traceId), ConsistentSampling.Threshold(ratio)), why);

    [Fact]
    public async Task TheJavaScriptRuleDecidesAsTheSharedTable()
    {
        NodeJs.SkipWithoutNode();
        var start = new ProcessStartInfo(ProgramsOnPath.Find("node") ?? "node", ["--test", "sampling.test.js"])
        {
            WorkingDirectory = JsClientFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        var output = await node.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await node.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(Timeouts.Request, TestContext.Current.CancellationToken);

        Assert.True(node.ExitCode == 0, output);
        Assert.Contains($"# pass {Cases().Count}", output, StringComparison.Ordinal);
        Assert.Contains("# fail 0", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LightstepGetsAConsistentShareOfTheTracesEachWholeWhileTheDashboardGetsAll()
    {
        NodeJs.SkipWithoutNode();
        await fixture.AppHost.WaitForClientToFinishAsync();
        var dashboard = fixture.AppHost.DashboardReceiver.Telemetry;
        var clients = dashboard.Spans.Where(s => s.Kind == TestSupport.Otlp.Span.Types.SpanKind.Client && s.Name == TraceQueries.ClientSpan
            && s.ServiceName is ServiceNames.Client or ServiceNames.JsClient).ToList();
        Assert.Equal(2 * SampledAppHost.RequestCount, clients.Count);
        // Each client request is whole at the dashboard: its span, the server's, two integrations, two operations.
        var traces = await dashboard.WaitForAsync(spans =>
        {
            var byTrace = clients.ToDictionary(c => c.TraceId, c => spans.Where(s => s.TraceId == c.TraceId).ToList());
            return byTrace.Values.All(t => t.Count == 6) ? byTrace : null;
        }, Timeouts.SpansArrive, "all six spans of every client request at the dashboard");

        var threshold = ConsistentSampling.Threshold(SampledAppHost.LightstepSampleRatio);
        var kept = traces.Keys.Where(id => ConsistentSampling.Keeps(ActivityTraceId.CreateFromString(id), threshold)).ToHashSet();
        var lightstep = await fixture.Lightstep.Telemetry.WaitForAsync(spans =>
            kept.All(id => spans.Count(s => s.TraceId == id) == 6) ? spans : null,
            Timeouts.SpansArrive, $"the {kept.Count} kept traces, whole, at Lightstep");

        TestContext.Current.TestOutputHelper?.WriteLine($"{kept.Count} of {traces.Count} traces kept for Lightstep");
        Assert.InRange(kept.Count, traces.Count / 10, traces.Count * 4 / 10);
        Assert.Contains(kept, id => traces[id].Any(s => s.ServiceName == ServiceNames.JsClient));
        Assert.Contains(kept, id => traces[id].Any(s => s.ServiceName == ServiceNames.Client));
        // The server has exported every kept trace's last span, so any span of a dropped trace, before it in its
        // queue, would have arrived: none did, in any process.
        var clientTraces = traces.Keys.ToHashSet();
        Assert.All(lightstep.Where(s => clientTraces.Contains(s.TraceId)), s => Assert.Contains(s.TraceId, kept));
        foreach (var id in kept)
        {
            Assert.Equal(traces[id].Select(s => s.SpanId).Order(), lightstep.Where(s => s.TraceId == id).Select(s => s.SpanId).Order());
        }
    }

    // Metrics and logs are never sampled: Lightstep's RED metrics count every request, its logs hold every line.
    [Fact]
    public async Task LightstepsMetricsAndLogsAreNotSampled()
    {
        await fixture.AppHost.WaitForClientToFinishAsync();
        var lightstep = fixture.Lightstep.Telemetry;
        var expected = NodeJs.IsAvailable ? 2 * SampledAppHost.RequestCount : SampledAppHost.RequestCount;

        await lightstep.WaitUntilAsync(() => lightstep.MetricPoints.LastOrDefault(p =>
                p.Name == "http.server.request.duration" && p.Attributes.GetValueOrDefault("http.route") == "/ping") is { } point
                && point.Value >= expected ? point : null,
            Timeouts.SpansArrive, $"a Lightstep http.server.request.duration point counting all {expected} /ping requests");
        await lightstep.WaitUntilAsync(() => lightstep.Logs.Count(l =>
                l.Resource["service.name"] == ServiceNames.Client && l.Body.StartsWith("Request to", StringComparison.Ordinal)) == SampledAppHost.RequestCount ? lightstep : null,
            Timeouts.SpansArrive, $"all {SampledAppHost.RequestCount} of the client's 'Request to' records at Lightstep");
    }
}
