using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PingAspire.AppHost;

public static class GarnetResourceBuilderExtensions
{
    // Aspire knows nothing about starting a Garnet server, so the resource reports its own lifecycle: Starting,
    // Running (which releases WaitFor), and stops with the AppHost. Stop and Start commands let the dashboard (and
    // the fault tests) take Redis away and bring it back.
    public static IResourceBuilder<GarnetResource> AddGarnet(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new GarnetResource(name))
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Garnet",
                State = KnownResourceStates.NotStarted,
                Properties = [],
            })
            .OnInitializeResource(async (garnet, e, cancellationToken) =>
            {
                e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(garnet.Stop);
                await e.Eventing.PublishAsync(new BeforeResourceStartedEvent(garnet, e.Services), cancellationToken);
                if (await StartAsync(garnet, e.Services) is null)
                {
                    await e.Eventing.PublishAsync(new ConnectionStringAvailableEvent(garnet, e.Services), cancellationToken);
                }
            })
            .WithCommand(KnownResourceCommands.StopCommand, "Stop",
                context => StopAsync(context.Services, (GarnetResource)FindResource(context)),
                new CommandOptions { IconName = "Stop", UpdateState = c => EnabledIn(c, KnownResourceStates.Running) })
            .WithCommand(KnownResourceCommands.StartCommand, "Start",
                context => StartCommandAsync(context.Services, (GarnetResource)FindResource(context)),
                new CommandOptions
                {
                    IconName = "Play",
                    UpdateState = c => EnabledIn(c, KnownResourceStates.Exited, KnownResourceStates.FailedToStart),
                });

    private static ResourceCommandState EnabledIn(UpdateCommandStateContext context, params string[] states) =>
        states.Contains(context.ResourceSnapshot.State?.Text) ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;

    // Returns why Garnet could not start (e.g. its port was taken), or null once it runs. A failure is shown as the
    // resource's state, with the reason in its log; its dependents' WaitFor then fails instead of waiting forever.
    private static async Task<string?> StartAsync(GarnetResource garnet, IServiceProvider services)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        await notifications.PublishUpdateAsync(garnet, s => s with { State = KnownResourceStates.Starting });
        try
        {
            garnet.Start();
        }
        catch (Exception exception)
        {
            var reason = $"Garnet failed to start: {exception.Message} (the next start uses port {garnet.Port})";
            services.GetRequiredService<ResourceLoggerService>().GetLogger(garnet).LogError(exception, "{Reason}", reason);
            await notifications.PublishUpdateAsync(garnet, s => s with
            {
                State = new ResourceStateSnapshot(KnownResourceStates.FailedToStart, KnownResourceStateStyles.Error),
            });
            return reason;
        }

        await notifications.PublishUpdateAsync(garnet, s => s with
        {
            State = KnownResourceStates.Running,
            StartTimeStamp = DateTime.UtcNow,
            StopTimeStamp = null,
            Urls = [new UrlSnapshot("tcp", $"tcp://127.0.0.1:{garnet.Port}", IsInternal: false)],
        });
        return null;
    }

    private static async Task<ExecuteCommandResult> StopAsync(IServiceProvider services, GarnetResource garnet)
    {
        garnet.Stop();
        await services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(garnet, s => s with
        {
            State = KnownResourceStates.Exited,
            StopTimeStamp = DateTime.UtcNow,
        });
        return CommandResults.Success();
    }

    private static async Task<ExecuteCommandResult> StartCommandAsync(IServiceProvider services, GarnetResource garnet) =>
        await StartAsync(garnet, services) is { } reason ? CommandResults.Failure(reason) : CommandResults.Success();

    private static IResource FindResource(ExecuteCommandContext context) =>
        context.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .Single(r => r.Name == context.ResourceName);
}
