namespace PingAspire.Tests.Infrastructure;

// Resident memory of a project process started by the AppHost, found by a value only its environment holds.
public static class ProcessMemory
{
    public static long? ResidentBytes(string processName, string environmentMarker)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (!File.ReadAllText(Path.Combine(directory, "cmdline")).Contains(processName, StringComparison.Ordinal)
                    || !File.ReadAllText(Path.Combine(directory, "environ")).Contains(environmentMarker, StringComparison.Ordinal))
                {
                    continue;
                }

                var rss = File.ReadLines(Path.Combine(directory, "status")).First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                return long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // the process ended while being read, or is not ours to read
            }
        }

        return null;
    }
}
