using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

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
                await StartAsync(garnet, e.Notifications);
                await e.Eventing.PublishAsync(new ConnectionStringAvailableEvent(garnet, e.Services), cancellationToken);
            })
            .WithCommand(KnownResourceCommands.StopCommand, "Stop",
                context => StopAsync(context.Services, (GarnetResource)FindResource(context)),
                new CommandOptions { IconName = "Stop", UpdateState = c => EnabledIn(c, KnownResourceStates.Running) })
            .WithCommand(KnownResourceCommands.StartCommand, "Start",
                context => StartCommandAsync(context.Services, (GarnetResource)FindResource(context)),
                new CommandOptions { IconName = "Play", UpdateState = c => EnabledIn(c, KnownResourceStates.Exited) });

    private static ResourceCommandState EnabledIn(UpdateCommandStateContext context, string state) =>
        context.ResourceSnapshot.State?.Text == state ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;

    private static async Task StartAsync(GarnetResource garnet, ResourceNotificationService notifications)
    {
        await notifications.PublishUpdateAsync(garnet, s => s with { State = KnownResourceStates.Starting });
        garnet.Start();
        await notifications.PublishUpdateAsync(garnet, s => s with
        {
            State = KnownResourceStates.Running,
            StartTimeStamp = DateTime.UtcNow,
            StopTimeStamp = null,
            Urls = [new UrlSnapshot("tcp", $"tcp://127.0.0.1:{garnet.Port}", IsInternal: false)],
        });
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

    private static async Task<ExecuteCommandResult> StartCommandAsync(IServiceProvider services, GarnetResource garnet)
    {
        await StartAsync(garnet, services.GetRequiredService<ResourceNotificationService>());
        return CommandResults.Success();
    }

    private static IResource FindResource(ExecuteCommandContext context) =>
        context.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .Single(r => r.Name == context.ResourceName);
}
