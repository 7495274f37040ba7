using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Configuration.UserSecrets;
using PingAspire.AppHost;
using PingAspire.TestSupport;
using PingAspire.Tests.Infrastructure;

namespace PingAspire.Tests;

// The README's second way to give the AppHost a Lightstep token, `dotnet user-secrets set LS_ACCESS_TOKEN …
// --project PingAspire.AppHost`, reaches server and client. The secrets file is written where the AppHost reads it,
// in the suite's own APPDATA (HermeticEnvironment), never the developer's; tests run one at a time, so no other
// AppHost reads it meanwhile.
public sealed class UserSecretsTests
{
    [Fact]
    public async Task TheAppHostsUserSecretsReachBothProjects()
    {
        await using var lightstep = await OtlpReceiver.StartAsync();
        var token = $"user-secret-{Guid.NewGuid():N}";
        var id = typeof(ServiceNames).Assembly.GetCustomAttribute<UserSecretsIdAttribute>()!.UserSecretsId;
        var secrets = PathHelper.GetSecretsPathFromSecretsId(id);
        Assert.StartsWith(HermeticEnvironment.AppData, secrets, StringComparison.Ordinal);
        Directory.CreateDirectory(Path.GetDirectoryName(secrets)!);
        await File.WriteAllTextAsync(secrets,
            JsonSerializer.Serialize(new Dictionary<string, string> { ["LS_ACCESS_TOKEN"] = token, ["LS_SATELLITE_URL"] = lightstep.Endpoint.ToString() }),
            TestContext.Current.CancellationToken);
        try
        {
            await using var app = await PingAppHost.StartAsync("Client:Count=1");

            await lightstep.Spans.WaitForAsync(all => all.ClientPings().Any() && all.ServerPings().Any() ? all : null,
                Timeouts.SpansArrive, "client and server spans at the Lightstep endpoint named in the user secrets");
            Assert.All(lightstep.Spans.ExportHeaders, headers => Assert.Equal(token, headers["lightstep-access-token"]));
        }
        finally
        {
            File.Delete(secrets);
        }
    }
}
