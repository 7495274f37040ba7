using Microsoft.Extensions.Options;

namespace PingAspire.Client;

public static class PingClientExtensions
{
    // The typed HttpClient for /ping with its options. Its primary handler comes from AddServiceDefaults, which
    // switches HttpClient's own trace header injection off.
    public static IHostApplicationBuilder AddPingClient(this IHostApplicationBuilder builder)
    {
        // A bad setting stops the process at start, non-zero, naming the key: an interval of 0 would spin, a negative
        // one would fault the loop, and a relative URL would fail every request.
        builder.Services.AddOptions<ClientOptions>()
            .Bind(builder.Configuration.GetSection(ClientOptions.SectionName))
            .Validate(o => o.IntervalSeconds > 0, "Client:IntervalSeconds must be greater than 0.")
            .Validate(o => o.TimeoutSeconds > 0, "Client:TimeoutSeconds must be greater than 0.")
            .Validate(o => o.Count >= 0, "Client:Count must be 0 (forever) or more.")
            .Validate(o => o.ServerUrl is { IsAbsoluteUri: true, Scheme: "http" or "https" },
                "Client:ServerUrl must be an absolute http or https URL.")
            .ValidateOnStart();
        builder.Services.AddHttpClient<PingClient>((services, http) =>
            http.Timeout = TimeSpan.FromSeconds(services.GetRequiredService<IOptions<ClientOptions>>().Value.TimeoutSeconds));
        return builder;
    }
}
