using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace PingAspire.ServiceDefaults.Layers;

// A refused setting reads like a tool's error: one line naming the key, the value and what is allowed, exit code 1, no
// stack trace. Settings are read and checked while the host is built (ValidateOnStart would log a stack trace first).
public sealed class SettingException(string key, string? value, string allowed)
    : Exception($"{key}={value} is refused; allowed: {allowed}.");

public static class Settings
{
    public static T Get<T>(this IConfiguration configuration, string key, T defaultValue, string allowed, Func<T, bool>? isAllowed = null)
    {
        T value;
        try
        {
            value = configuration.GetValue(key, defaultValue)!;
        }
        catch (InvalidOperationException)
        {
            throw new SettingException(key, configuration[key], allowed);
        }

        return isAllowed is null || isAllowed(value)
            ? value
            : throw new SettingException(key, Convert.ToString(value, CultureInfo.InvariantCulture), allowed);
    }

    // The one line, where the refusal would otherwise crash the host with its stack trace. Subscribed once however often
    // a process builds a host (the tests build many).
    public static void ExitOnRefusal()
    {
        AppDomain.CurrentDomain.UnhandledException -= OnUnhandled;
        AppDomain.CurrentDomain.UnhandledException += OnUnhandled;
    }

    private static void OnUnhandled(object? sender, UnhandledExceptionEventArgs e)
    {
        if (e.ExceptionObject is SettingException refused)
        {
            Console.Error.WriteLine($"{AppDomain.CurrentDomain.FriendlyName}: {refused.Message}");
            Environment.Exit(1);
        }
    }
}
