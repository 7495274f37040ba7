using System.Diagnostics;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// Each program started as a user would start it, with one bad setting: it must stop at once, like a command-line
// tool, with exit code 1 and one line naming the key, the value and what is allowed; no stack trace, no spinning.
public sealed class BadSettingTests
{
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("Client:IntervalSeconds", "0")]
    [InlineData("Client:IntervalSeconds", "-3")]
    [InlineData("Client:IntervalSeconds", "abc")]
    [InlineData("Client:TimeoutSeconds", "0")]
    [InlineData("Client:Count", "-1")]
    [InlineData("Client:ServerUrl", "not a url")]
    [InlineData("Client:ServerUrl", "/relative")]
    [InlineData("Client:PropagateTraceContext", "maybe")]
    [InlineData("OTEL_SDK_DISABLED", "maybe")]
    [InlineData("LS_TRACES_SAMPLE_RATIO", "1.5")]
    [InlineData("LS_TRACES_SAMPLE_RATIO", "NaN")]
    public async Task TheClientRefusesABadSettingInOneLine(string key, string value) =>
        await AssertRefusedAsync(DotNetProgram("PingAspire.Client", $"--{key}={value}"), key, value);

    [Theory]
    [InlineData("TraceContextTest:Enabled", "maybe")]
    [InlineData("OTEL_SDK_DISABLED", "1.5")]
    [InlineData("Server:IncomingTraceContext", "sometimes")]
    [InlineData("Server:FailureLogIntervalSeconds", "0")]
    [InlineData("LS_TRACES_SAMPLE_RATIO", "-0.1")]
    public async Task TheServerRefusesABadSettingInOneLine(string key, string value) =>
        await AssertRefusedAsync(DotNetProgram("PingAspire.Server", $"--{key}={value}", "--urls=http://127.0.0.1:0"), key, value);

    [Theory]
    [InlineData("IntervalSeconds", "0")]
    [InlineData("TimeoutSeconds", "x")]
    [InlineData("Count", "1.5")]
    [InlineData("ServerUrl", "/relative")]
    [InlineData("PropagateTraceContext", "maybe")]
    [InlineData("LS_TRACES_SAMPLE_RATIO", "abc")]
    [InlineData("LS_TRACES_SAMPLE_RATIO", "2")]
    public async Task TheJavaScriptClientRefusesABadSettingInOneLine(string key, string value)
    {
        NodeJs.SkipWithoutNode();
        var start = NodeJs.Client();
        // The sampling ratio is a process-wide setting, as in C#; the others are the client's own section.
        var (variable, name) = key.StartsWith("LS_", StringComparison.Ordinal) ? (key, key) : ($"JsClient__{key}", $"JsClient:{key}");
        start.Environment[variable] = value;

        await AssertRefusedAsync(start, name, value);
    }

    private static ProcessStartInfo DotNetProgram(string name, params string[] args)
    {
        // The program's own executable, built next to the tests (the test project references it).
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, name), args);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return start;
    }

    private static async Task AssertRefusedAsync(ProcessStartInfo start, string key, string value)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var program = Process.Start(start)!;
        var output = program.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = program.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var deadline = new CancellationTokenSource(ExitDeadline);
        try
        {
            await program.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            program.Kill(entireProcessTree: true);
            Assert.Fail($"{key}={value}: {start.FileName} still ran after {ExitDeadline.TotalSeconds} s");
        }

        var line = Assert.Single((await error).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(1, program.ExitCode);
        Assert.Contains($"{key}={value} is refused; allowed: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", await output, StringComparison.Ordinal);
    }
}
