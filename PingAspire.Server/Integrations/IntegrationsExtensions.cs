namespace PingAspire.Server.Integrations;

public static class IntegrationsExtensions
{
    // Singletons: each holds one client (multiplexer, MongoClient, connection string) for the whole process.
    // Registered in the order /ping runs them.
    public static IHostApplicationBuilder AddIntegrations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RedisIntegration>();
        builder.Services.AddSingleton<MongoIntegration>();
        builder.Services.AddSingleton<SqliteIntegration>();
        builder.Services.AddSingleton<Integration>(services => services.GetRequiredService<RedisIntegration>());
        builder.Services.AddSingleton<Integration>(services => services.GetRequiredService<MongoIntegration>());
        builder.Services.AddSingleton<Integration>(services => services.GetRequiredService<SqliteIntegration>());
        return builder;
    }
}
