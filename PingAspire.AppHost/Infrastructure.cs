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
        return IsRuntimeHealthy(runtime)
            ? (InfrastructureMode.Containers, $"auto: {runtime} is healthy")
            : (InfrastructureMode.Local, $"auto: no healthy container runtime ({runtime})");
    }

    private static bool IsRuntimeHealthy(string runtime)
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(runtime, "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (probe is null)
            {
                return false;
            }

            if (!probe.WaitForExit(ProbeTimeout))
            {
                probe.Kill(entireProcessTree: true);
                return false;
            }

            return probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // the runtime's CLI is not installed
        }
    }
}
