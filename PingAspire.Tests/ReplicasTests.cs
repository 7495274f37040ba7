using System.Net;
using PingAspire.AppHost;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// --Server:Replicas 2 runs two server processes behind one address; each trace says which one served it.
[Collection(nameof(InjectionOffAppHost))]
public sealed class ReplicasTests(InjectionOffAppHost fixture)
{
    private const int Requests = 20;

    [Fact]
    public async Task TwoReplicasServeRequestsAndEachSpanNamesItsInstance()
    {
        var app = fixture.AppHost;
        var requests = new List<DirectRequest>();
        for (var i = 0; i < Requests; i++)
        {
            // A new connection each time: the orchestrator's proxy in front of the replicas balances connections.
            using var http = app.CreateServerClient();
            var request = new DirectRequest();
            using var response = await request.SendAsync(http, "/sql/2");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            requests.Add(request);
        }

        var markers = requests.Select(r => r.Marker).ToHashSet();
        var served = await app.DashboardReceiver.Telemetry.WaitForAsync(spans =>
        {
            var ours = spans.ServerPings(route: "/sql/{length}").Where(s => markers.Contains(s.Attributes.GetValueOrDefault(DirectRequest.MarkerKey) ?? "")).ToList();
            return ours.Count == Requests ? ours : null;
        }, Timeouts.SpansArrive, $"the server spans of all {Requests} requests");

        var instances = served.Select(s => s.Resource["service.instance.id"]).Distinct().ToList();
        TestContext.Current.TestOutputHelper?.WriteLine($"instances: {string.Join(", ", instances.Select(i => $"{i} ×{served.Count(s => s.Resource["service.instance.id"] == i)}"))}");
        Assert.Equal(2, instances.Count);
        Assert.All(served, s => Assert.Equal(ServiceNames.Server, s.ServiceName));
    }
}
