using Microsoft.AspNetCore.Http.HttpResults;
using PingAspire.Server.Integrations;

namespace PingAspire.Server.Apis;

// The tutorial's Flask routes: /ping runs every integration; /redis, /mongo and /sql run one alone.
public static class PingApi
{
    public static IEndpointRouteBuilder MapPingApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ping", PingAsync).WithServerSpan();
        foreach (var name in new[] { "redis", "mongo", "sql" })
        {
            app.MapGet($"/{name}/{{length}}", (string length, IEnumerable<Integration> integrations, CancellationToken ct) =>
                RunOneAsync(integrations.Named(name), length, ct)).WithServerSpan();
        }

        return app;
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> PingAsync(
        IEnumerable<Integration> integrations, CancellationToken cancellationToken)
    {
        var length = Random.Shared.Next(1, RouteLength.Max + 1);
        List<string> failed = [];
        // One after another, as the tutorial's; one not configured is left out, so the spans show only what ran.
        foreach (var integration in integrations.Where(i => i.IsConfigured))
        {
            if (!await integration.RunAsync(length, cancellationToken))
            {
                failed.Add(integration.Name);
            }
        }

        return failed.Count == 0
            ? TypedResults.Text(RandomText(length))
            : DependencyFailed($"Failed: {string.Join(", ", failed)}.");
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> RunOneAsync(
        Integration integration, string length, CancellationToken cancellationToken)
    {
        if (!RouteLength.TryParse(length, out var value))
        {
            return RouteLength.Invalid(length);
        }

        if (!integration.IsConfigured)
        {
            return DependencyFailed($"{integration.Name} is not configured (set ConnectionStrings:{integration.Name}).");
        }

        return await integration.RunAsync(value, cancellationToken)
            ? TypedResults.Text(RandomText(value))
            : DependencyFailed($"Failed: {integration.Name}.");
    }

    private static ProblemHttpResult DependencyFailed(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Dependency failed", detail: detail);

    // The tutorial's random lowercase string of that length.
    private static string RandomText(int length) => new([.. Enumerable.Range(0, length).Select(_ => (char)('a' + Random.Shared.Next(26)))]);
}
