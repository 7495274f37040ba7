using PingAspire.Server.Integrations;

namespace PingAspire.Server.Apis;

// What the AppHost's dashboard commands on the server call (PingAspire.AppHost/FaultCommands.cs). Development only,
// and only from this machine: it lets anyone who can reach it slow down or break the server on purpose.
public static class FaultsApi
{
    public static readonly TimeSpan Slowdown = TimeSpan.FromMilliseconds(500);
    public const double FailureRate = 0.5;

    // Faults is an operation layer (Integrations/OperationLayers.cs) and what the endpoints below switch.
    public static IHostApplicationBuilder AddFaults(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Faults>();
        builder.Services.AddSingleton<IOperationLayer>(services => services.GetRequiredService<Faults>());
        return builder;
    }

    public static WebApplication MapFaultsApi(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            return app;
        }

        var faults = app.MapGroup("/faults").AddEndpointFilter(LoopbackOnlyAsync);
        faults.MapPost("/{dependency}/slow", (string dependency, Faults active, IEnumerable<Integration> integrations) =>
            Set(active, integrations, dependency, new Fault(Slowdown, 0)));
        faults.MapPost("/{dependency}/failing", (string dependency, Faults active, IEnumerable<Integration> integrations) =>
            Set(active, integrations, dependency, new Fault(TimeSpan.Zero, FailureRate)));
        faults.MapPost("/clear", (Faults active) =>
        {
            active.Clear();
            return TypedResults.Ok("All faults cleared.");
        });
        return app;
    }

    private static IResult Set(Faults active, IEnumerable<Integration> integrations, string dependency, Fault fault)
    {
        var names = integrations.Select(i => i.Name).ToList();
        if (!names.Contains(dependency))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown dependency",
                detail: $"dependency must be one of {string.Join(", ", names)}; got '{dependency}'.");
        }

        active.Set(dependency, fault);
        return TypedResults.Ok($"{dependency}: {(fault.Latency > TimeSpan.Zero ? $"+{fault.Latency.TotalMilliseconds} ms" : $"{fault.FailureRate:P0} of calls fail")}.");
    }

    private static async ValueTask<object?> LoopbackOnlyAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        Loopback.IsCaller(context.HttpContext.Connection.RemoteIpAddress)
            ? await next(context)
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Faults are loopback-only");
}
