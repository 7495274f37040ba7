namespace PingAspire.Client;

public static class PingClientExtensions
{
    // The typed HttpClient for /ping with its settings. Its primary handler comes from AddServiceDefaults, which
    // switches HttpClient's own trace header injection off.
    public static IHostApplicationBuilder AddPingClient(this IHostApplicationBuilder builder)
    {
        var options = ClientOptions.From(builder.Configuration);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<ServerReadiness>();
        // The RED metric's handler goes first, before service discovery: server.address is the name the client asked for.
        builder.Services.AddHttpClient<PingClient>(http => http.Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds))
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) => handlers.Insert(0, new RequestMetricsHandler()));
        return builder;
    }
}
