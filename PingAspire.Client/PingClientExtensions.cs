using Microsoft.Extensions.Options;

namespace PingAspire.Client;

public static class PingClientExtensions
{
    // The typed HttpClient for /ping with its options. Its primary handler comes from AddServiceDefaults, which
    // switches HttpClient's own trace header injection off.
    public static IHostApplicationBuilder AddPingClient(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<ClientOptions>(builder.Configuration.GetSection(ClientOptions.SectionName));
        builder.Services.AddHttpClient<PingClient>((services, http) =>
            http.Timeout = TimeSpan.FromSeconds(services.GetRequiredService<IOptions<ClientOptions>>().Value.TimeoutSeconds));
        return builder;
    }
}
