using System.Globalization;
using BenchmarkDotNet.Running;
using PingAspire.Benchmarks;

// Each mode measures variants side by side in one run and prints their ratios (README "Performance").
return args.FirstOrDefault() switch
{
    "propagation" => Run(() => BenchmarkRunner.Run<PropagationBenchmarks>(args: args[1..])),
    "breakdown" => Run(() => BenchmarkRunner.Run<BreakdownBenchmarks>(args: args[1..])),
    "requests" => await RequestsHarness.RunAsync(Number("--rounds", 13), Number("--seconds", 5), After("--json")),
    "serve-auto" => await AutoServer.ServeAsync(),
    "backpressure" => await ExporterBackPressureHarness.RunAsync(),
    // first-trace [runs] [--instances N] [--aspire-cli PATH]
    "first-trace" => await TimeToFirstTraceHarness.RunAsync(Number("first-trace", 3), Number("--instances", 1), After("--aspire-cli")),
    _ => Usage(),
};

// The value after the option (or after the mode, for a positional one), if given.
string? After(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

int Number(string name, int fallback) => int.TryParse(After(name), CultureInfo.InvariantCulture, out var value) ? value : fallback;

static int Run(Action benchmark)
{
    benchmark();
    return 0;
}

static int Usage()
{
    Console.WriteLine("usage: dotnet run -c Release --project PingAspire.Benchmarks -- <propagation|breakdown [BenchmarkDotNet options]|requests [--rounds N] [--seconds N] [--json PATH]|backpressure|first-trace [runs] [--instances N] [--aspire-cli PATH]>");
    return 2;
}
