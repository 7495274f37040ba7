using System.Diagnostics;

// The floor's one project: PingAspire's hand-built telemetry (AddServiceDefaults), one span as soon as the host runs.
var source = new ActivitySource("PingAspire.Floor.OneSpan");
var builder = Host.CreateApplicationBuilder(args);
builder.AddServiceDefaults(source.Name);

using var host = builder.Build();
await host.StartAsync();
source.StartActivity("first span")?.Dispose();
await host.WaitForShutdownAsync();
