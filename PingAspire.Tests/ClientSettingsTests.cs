using System.Diagnostics;

namespace PingAspire.Tests;

// The client process started as a user would start it, with one bad setting: it must stop at once, with a non-zero
// exit code and a message that names the key, instead of spinning, faulting silently or exiting 0.
public sealed class ClientSettingsTests
{
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("Client:IntervalSeconds", "0")]
    [InlineData("Client:IntervalSeconds", "-3")]
    [InlineData("Client:TimeoutSeconds", "0")]
    [InlineData("Client:Count", "-1")]
    [InlineData("Client:ServerUrl", "not a url")]
    [InlineData("Client:ServerUrl", "/relative")]
    public async Task ABadSettingStopsTheClientNamingTheKey(string key, string value)
    {
        // The client's own executable, built next to the tests (the test project references it).
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "PingAspire.Client"), [$"--{key}={value}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        using var client = Process.Start(start)!;
        var output = client.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = client.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var deadline = new CancellationTokenSource(ExitDeadline);
        try
        {
            await client.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            client.Kill(entireProcessTree: true);
            Assert.Fail($"{key}={value}: the client still ran after {ExitDeadline.TotalSeconds} s");
        }

        var written = await output + await error;
        Assert.NotEqual(0, client.ExitCode);
        Assert.Contains(key, written, StringComparison.Ordinal);
    }
}
