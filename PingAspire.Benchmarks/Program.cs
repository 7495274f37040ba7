using BenchmarkDotNet.Running;
using PingAspire.Benchmarks;

// Each mode measures variants side by side in one run and prints their ratios (README "Performance").
return args.FirstOrDefault() switch
{
    "propagation" => Run(() => BenchmarkRunner.Run<PropagationBenchmarks>(args: args[1..])),
    "requests" => await RequestsHarness.RunAsync(args[1..]),
    "serve-auto" => await AutoServer.ServeAsync(),
    "breakdown" => Run(() => BenchmarkRunner.Run<BreakdownBenchmarks>(args: args[1..])),
    "backpressure" => await ExporterBackPressureHarness.RunAsync(),
    "first-trace" => await TimeToFirstTraceHarness.RunAsync(
        args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3,
        args.Length > 3 && args[2] == "--instances" ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 1,
        args.SkipWhile(a => a != "--aspire-cli").Skip(1).FirstOrDefault()),
    _ => Usage(),
};

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
