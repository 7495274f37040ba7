namespace PingAspire.AppHost;

// Where a shell would find a program. On Windows a command is a file named with one of PATHEXT's endings (node.exe,
// npm.cmd), matched without regard to case; elsewhere, the file of exactly that name. The benchmarks link this file.
public static class ProgramsOnPath
{
    private const string WindowsDefaultExtensions = ".COM;.EXE;.BAT;.CMD";

    public static string? Find(string program) =>
        Find(program, Environment.GetEnvironmentVariable("PATH"), Path.PathSeparator,
            OperatingSystem.IsWindows() ? Environment.GetEnvironmentVariable("PATHEXT") ?? WindowsDefaultExtensions : null);

    // windowsExtensions is PATHEXT on Windows, null elsewhere.
    public static string? Find(string program, string? path, char separator, string? windowsExtensions)
    {
        foreach (var directory in (path ?? "").Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (windowsExtensions is null)
            {
                var file = Path.Combine(directory, program);
                if (File.Exists(file))
                {
                    return file;
                }

                continue;
            }

            var names = windowsExtensions.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(extension => program + extension);
            var match = Directory.Exists(directory)
                ? Directory.EnumerateFiles(directory).FirstOrDefault(f => names.Contains(Path.GetFileName(f), StringComparer.OrdinalIgnoreCase))
                : null;
            if (match is not null)
            {
                return match;
            }
        }

        return null;
    }

    public static bool Contains(string program) => Find(program) is not null;
}
