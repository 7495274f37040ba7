namespace PingAspire.AppHost;

// Faults on demand, from the dashboard: commands on the server resource that call its Development-only,
// loopback-only /faults endpoints (PingAspire.Server/Apis/FaultsApi.cs). With several replicas, a command reaches one.
public static class FaultCommands
{
    public static IResourceBuilder<ProjectResource> WithFaultCommands(this IResourceBuilder<ProjectResource> server)
    {
        foreach (var dependency in new[] { "redis", "sql" })
        {
            server.WithHttpCommand($"/faults/{dependency}/slow", $"Slow {dependency} (+500 ms)", commandName: $"slow-{dependency}",
                    commandOptions: new HttpCommandOptions { IconName = "Clock", Description = $"Every {dependency} call waits 500 ms first." })
                .WithHttpCommand($"/faults/{dependency}/failing", $"Failing {dependency} (50 %)", commandName: $"failing-{dependency}",
                    commandOptions: new HttpCommandOptions { IconName = "ErrorCircle", Description = $"Half of the {dependency} calls fail." });
        }

        return server.WithHttpCommand("/faults/clear", "Clear faults", commandName: "clear-faults",
            commandOptions: new HttpCommandOptions { IconName = "ArrowReset", Description = "Every dependency behaves again." });
    }
}
