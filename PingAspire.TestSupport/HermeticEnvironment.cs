namespace PingAspire.TestSupport;

// What a developer's shell may hold that would send PingAspire somewhere real: a Lightstep token (the README says to
// export it), OTLP settings, connection strings, the AppHost's own settings. The testing builder, DCP and every
// project inherit the test process's environment, so tests and harnesses start from none of it.
public static class HermeticEnvironment
{
    // Configuration keys as environment names (':' written '__') that PingAspire or the OpenTelemetry SDK read.
    private static readonly string[] Keys =
        ["LS_", "OTEL_", "ConnectionStrings__", "Client__", "JsClient__", "Server__", "TraceContextTest__", "Infrastructure", "ASPIRE_CONTAINER_RUNTIME"];

    // .NET hosts read DOTNET_- and ASPNETCORE_-prefixed variables as the same keys.
    private static readonly string[] HostPrefixes = ["", "DOTNET_", "ASPNETCORE_"];

    // The AppHost also reads its user secrets (`dotnet user-secrets`): from $APPDATA/Microsoft/UserSecrets when APPDATA
    // is set, else from ~/.microsoft/usersecrets. An empty folder of our own keeps the developer's out.
    public static string AppData { get; } = CreateAppData();

    public static bool IsOutsideSetting(string name) =>
        HostPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && Keys.Any(key => name[prefix.Length..].StartsWith(key, StringComparison.OrdinalIgnoreCase)));

    public static IReadOnlyList<string> OutsideSettings() =>
        [.. Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(IsOutsideSetting).Order(StringComparer.Ordinal)];

    // Removes them from this process, and so from every process it starts from now on, and points APPDATA at the
    // empty folder. Returns the names removed.
    public static IReadOnlyList<string> Clear()
    {
        var names = OutsideSettings();
        foreach (var name in names)
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        Environment.SetEnvironmentVariable("APPDATA", AppData);
        return names;
    }

    private static string CreateAppData()
    {
        var folder = Directory.CreateTempSubdirectory("pingaspire-appdata-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        };
        return folder;
    }
}
