// A bare AppHost: its dashboard and one project, no dependencies, nothing waited for. What PingAspire's first trace is
// measured against (PingAspire.Benchmarks/TimeToFirstTraceHarness.cs).
var builder = DistributedApplication.CreateBuilder(args);

builder.AddProject<Projects.PingAspire_Floor_OneSpan>("floor-onespan");

builder.Build().Run();
