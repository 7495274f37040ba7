using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Configuration.UserSecrets;
using PingAspire.AppHost;
using PingAspire.TestSupport;

namespace PingAspire.Tests.Infrastructure;

// The AppHost's user secrets (`dotnet user-secrets set ... --project PingAspire.AppHost`), written where the AppHost
// reads them: in the suite's own APPDATA (HermeticEnvironment), never the developer's.
public static class UserSecrets
{
    public static string Write(IReadOnlyDictionary<string, string> secrets)
    {
        var id = typeof(ServiceNames).Assembly.GetCustomAttribute<UserSecretsIdAttribute>()!.UserSecretsId;
        var file = PathHelper.GetSecretsPathFromSecretsId(id);
        Assert.StartsWith(HermeticEnvironment.AppData, file, StringComparison.Ordinal);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, JsonSerializer.Serialize(secrets));
        return file;
    }
}
