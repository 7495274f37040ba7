using System.Diagnostics;
using System.Runtime.Versioning;

namespace PingAspire.Tests;

// The auto mode's question "is a container runtime healthy?", asked of stand-in CLIs that behave as docker and podman
// do: podman's `info` knows no {{.ServerVersion}} template, so a docker-only probe would call a healthy podman dead.
[UnsupportedOSPlatform("windows")] // the stand-ins are shell scripts
public sealed class ContainerRuntimeProbeTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private readonly string _directory = Directory.CreateTempSubdirectory("pingaspire-runtimes-").FullName;

    public static TheoryData<string, string, bool> Runtimes => new()
    {
        // name, the stand-in's script, healthy?
        { "docker", """[ "$*" = "info" ] && { echo "Server Version: 28.2.2"; exit 0; }; exit 1""", true },
        { "podman", """case "$*" in *ServerVersion*) echo "template: info:1:2: can't evaluate field ServerVersion" >&2; exit 125;; info) echo "host:"; exit 0;; esac; exit 1""", true },
        { "docker", """echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock" >&2; exit 1""", false },
        { "podman", "sleep 60", false },
    };

    [Theory]
    [MemberData(nameof(Runtimes))]
    public void AStandInRuntimeIsJudgedByItsInfoCommandWithinTheTimeout(string name, string script, bool healthy)
    {
        var cli = Path.Combine(_directory, name);
        File.WriteAllText(cli, $"#!/bin/sh\n{script}\n");
        File.SetUnixFileMode(cli, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var elapsed = Stopwatch.StartNew();
        var result = PingAspire.AppHost.Infrastructure.IsRuntimeHealthy(cli, Timeout);
        elapsed.Stop();

        Assert.Equal(healthy, result);
        Assert.True(elapsed.Elapsed < Timeout + TimeSpan.FromSeconds(1), $"decided after {elapsed.Elapsed}");
    }

    [Fact]
    public void AMissingRuntimeIsNotHealthy() =>
        Assert.False(PingAspire.AppHost.Infrastructure.IsRuntimeHealthy(Path.Combine(_directory, "no-such-runtime"), Timeout));

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
