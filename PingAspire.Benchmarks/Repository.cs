namespace PingAspire.Benchmarks;

public static class Repository
{
    // The checkout this build runs from: the harnesses start its Release server and its AppHosts.
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PingAspire.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Run from inside the PingAspire repository.");
    }
}
