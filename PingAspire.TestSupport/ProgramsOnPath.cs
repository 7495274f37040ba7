namespace PingAspire.TestSupport;

public static class ProgramsOnPath
{
    // Whether a command-line program (node, wrk ...) is installed where a shell would find it.
    public static bool Contains(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(directory => File.Exists(Path.Combine(directory, program)));
}
