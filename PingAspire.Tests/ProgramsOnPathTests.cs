using PingAspire.AppHost;

namespace PingAspire.Tests;

// The one PATH lookup (PingAspire.AppHost/ProgramsOnPath.cs) that decides whether the AppHost runs the JavaScript
// client. No Windows machine runs this suite: Windows' rules are checked with Windows' inputs on a stand-in folder.
public sealed class ProgramsOnPathTests : IDisposable
{
    private const string WindowsPathExt = ".COM;.EXE;.BAT;.CMD;.VBS;.JS";
    private readonly DirectoryInfo _empty = Directory.CreateTempSubdirectory("pingaspire-path-");
    private readonly DirectoryInfo _nodeJs = Directory.CreateTempSubdirectory("pingaspire-path-");

    public ProgramsOnPathTests()
    {
        // What the Node.js installer puts on a Windows PATH.
        File.WriteAllText(Path.Combine(_nodeJs.FullName, "node.exe"), "");
        File.WriteAllText(Path.Combine(_nodeJs.FullName, "npm.cmd"), "");
        File.WriteAllText(Path.Combine(_nodeJs.FullName, "npm"), "");
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

    public void Dispose()
    {
        _empty.Delete(recursive: true);
        _nodeJs.Delete(recursive: true);
    }
}
