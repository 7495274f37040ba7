using System.Diagnostics;

namespace PingAspire.AppHost;

public enum InfrastructureMode
{
    Containers,
    Local,
}

// Configuration key "Infrastructure": auto (default), containers or local. Auto asks the container runtime whether
// it is healthy, within 5 s, because Aspire itself would wait far longer and then fail on the first container.
public static class Infrastructure
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public static (InfrastructureMode Mode, string Reason) Resolve(IDistributedApplicationBuilder builder)
    {
        var setting = builder.Configuration["Infrastructure"] ?? "auto";
        if (setting.Equals("containers", StringComparison.OrdinalIgnoreCase) || builder.ExecutionContext.IsPublishMode)
        {
            return (InfrastructureMode.Containers, "configured");
        }

        if (setting.Equals("local", StringComparison.OrdinalIgnoreCase))
        {
            return (InfrastructureMode.Local, "configured");
        }

        if (!setting.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Infrastructure must be auto, containers or local; got '{setting}'.");
        }

        var runtime = builder.Configuration["ASPIRE_CONTAINER_RUNTIME"] ?? "docker";
        return IsRuntimeHealthy(runtime, ProbeTimeout)
            ? (InfrastructureMode.Containers, $"auto: {runtime} is healthy")
            : (InfrastructureMode.Local, $"auto: no healthy container runtime ({runtime})");
    }

    // `<runtime> info` exits 0 only when the CLI reaches a running engine, for docker and podman alike; no --format
    // (podman's info has no {{.ServerVersion}}, and a template error would read as "unhealthy"). A CLI that hangs is
    // killed at the timeout; one that is not installed is simply not healthy.
    public static bool IsRuntimeHealthy(string runtime, TimeSpan timeout)
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(runtime, "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (probe is null)
            {
                return false;
            }

            // Drain both pipes so that a talkative CLI never blocks on a full one.
            probe.OutputDataReceived += (_, _) => { };
            probe.ErrorDataReceived += (_, _) => { };
            probe.BeginOutputReadLine();
            probe.BeginErrorReadLine();
            if (!probe.WaitForExit(timeout))
            {
                probe.Kill(entireProcessTree: true);
                return false;
            }

            return probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
