namespace PingAspire.Server.Integrations;

public static class IntegrationsExtensions
{
    // Singletons, each holding one client for the whole process, registered in the order /ping runs them.
    public static IHostApplicationBuilder AddIntegrations(this IHostApplicationBuilder builder)
    {
        RedisIntegration.AddClient(builder);
        builder.Services.AddSingleton<OperationLayers>();
        FailureLog.AddFailureLog(builder);
        builder.Services.AddSingleton<Integration, RedisIntegration>();
        builder.Services.AddSingleton<Integration, MongoIntegration>();
        builder.Services.AddSingleton<Integration, SqliteIntegration>();
        return builder;
    }

    public static Integration Named(this IEnumerable<Integration> integrations, string name) =>
        integrations.Single(integration => integration.Name == name);
}
