using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using PingAspire.AppHost;

namespace PingAspire.Tests;

// The one PATH lookup (PingAspire.AppHost/ProgramsOnPath.cs) that decides whether the AppHost runs the JavaScript
// client. No Windows machine runs this suite: Windows' rules are checked with Windows' inputs on a stand-in folder.
public sealed class ProgramsOnPathTests : IDisposable
{
    private const string WindowsPathExt = ".COM;.EXE;.BAT;.CMD;.VBS;.JS";
    private readonly DirectoryInfo _empty = Directory.CreateTempSubdirectory("pingaspire-path-");
    private readonly DirectoryInfo _nodeJs = Directory.CreateTempSubdirectory("pingaspire-path-");
    private readonly DirectoryInfo _linux = Directory.CreateTempSubdirectory("pingaspire-path-");

    public ProgramsOnPathTests()
    {
        // What the Node.js installer puts on a Windows PATH.
        File.WriteAllText(Path.Combine(_nodeJs.FullName, "node.exe"), "");
        File.WriteAllText(Path.Combine(_nodeJs.FullName, "npm.cmd"), "");
        File.WriteAllText(Path.Combine(_nodeJs.FullName, "npm"), "");
        // What Debian's nodejs and npm put on PATH.
        File.WriteAllText(Path.Combine(_linux.FullName, "node"), "");
        File.WriteAllText(Path.Combine(_linux.FullName, "npm"), "");
    }

    [Theory]
    [InlineData("node", "node.exe")]
    [InlineData("npm", "npm.cmd")]
    public void OnWindowsAProgramIsFoundWithAPathExtEnding(string program, string file)
    {
        var path = $"{_empty.FullName};{_nodeJs.FullName}";

        Assert.Equal(Path.Combine(_nodeJs.FullName, file), ProgramsOnPath.Find(program, path, ';', WindowsPathExt));
    }

    [Fact]
    public void OnWindowsPathExtIsMatchedWithoutRegardToCaseAndOnlyItsEndingsCount()
    {
        var path = $"{_nodeJs.FullName};";

        Assert.NotNull(ProgramsOnPath.Find("node", path, ';', ".exe"));
        Assert.Null(ProgramsOnPath.Find("node", path, ';', ".CMD"));
        Assert.Null(ProgramsOnPath.Find("node", $"{_empty.FullName};C:\\does-not-exist", ';', WindowsPathExt));
    }

    [Fact]
    public void ElsewhereOnlyTheExactNameCounts()
    {
        var path = $"{_empty.FullName}:{_nodeJs.FullName}";

        Assert.Null(ProgramsOnPath.Find("node", path, ':', windowsExtensions: null));
        Assert.Equal(Path.Combine(_nodeJs.FullName, "npm"), ProgramsOnPath.Find("npm", path, ':', windowsExtensions: null));
    }

    [Fact]
    public void OnWindowsNpmCiRunsThroughCmdExe()
    {
        var (command, args) = JsClient.NpmCi(@"C:\nodejs\npm.cmd", isWindows: true);
        Assert.Equal("cmd.exe", command);
        Assert.Equal(["/c", @"C:\nodejs\npm.cmd", "ci", "--no-audit", "--no-fund"], args);

        (command, args) = JsClient.NpmCi("/usr/bin/npm", isWindows: false);
        Assert.Equal("/usr/bin/npm", command);
        Assert.Equal(["ci", "--no-audit", "--no-fund"], args);
    }

    // The AppHost's model: with Node.js on PATH the JavaScript client runs it by its full path; without, it is left out.
    [Fact]
    public async Task TheAppHostRunsTheJavaScriptClientOnlyWhereNodeIsOnPath()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "the stand-in folder holds Linux's file names");
        var path = Environment.GetEnvironmentVariable("PATH");
        try
        {
            Environment.SetEnvironmentVariable("PATH", _linux.FullName);
            var withNode = await ModelAsync();
            Environment.SetEnvironmentVariable("PATH", _empty.FullName);
            // The AppHost says so in one line at startup, on its console.
            var console = new StringWriter();
            var original = Console.Out;
            Console.SetOut(console);
            IResourceCollection withoutNode;
            try
            {
                withoutNode = await ModelAsync();
            }
            finally
            {
                Console.SetOut(original);
            }

            Assert.Contains("  jsclient: off (Node.js is not installed: no node and npm on PATH)", console.ToString().Split(Environment.NewLine));

            var client = Assert.IsType<ExecutableResource>(withNode.Single(r => r.Name == ServiceNames.JsClient), exactMatch: false);
            Assert.Equal(Path.Combine(_linux.FullName, "node"), client.Command);
            Assert.DoesNotContain(withoutNode, r => r.Name.StartsWith(ServiceNames.JsClient, StringComparison.Ordinal));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
        }
    }

    private static async Task<IResourceCollection> ModelAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.PingAspire_AppHost>(
            ["Infrastructure=local", "JsClient:Enabled=true"], TestContext.Current.CancellationToken);
        return builder.Resources;
    }

    public void Dispose()
    {
        _empty.Delete(recursive: true);
        _nodeJs.Delete(recursive: true);
        _linux.Delete(recursive: true);
    }
}
