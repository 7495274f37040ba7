using System.Globalization;
using Garnet;
using PingAspire.TestSupport;

namespace PingAspire.Benchmarks;

// Garnet for /ping, shared by every server of a run, and a SQLite file for each: servers loaded at once would
// otherwise wait on each other's write lock, and each variant's CPU would carry the others' contention.
public sealed class Dependencies : IDisposable
{
    private readonly GarnetServer _garnet;
    // In memory-backed /dev/shm where there is one: the disk's sync time varies more than what is measured.
    private readonly string _sqliteFolder = Directory.CreateDirectory(Path.Combine(
        Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"pingaspire-bench-{Guid.NewGuid():N}")).FullName;

    public Dependencies()
    {
        var port = LoopbackPorts.Unused();
        RedisConnectionString = $"127.0.0.1:{port}";
        _garnet = new GarnetServer(["--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--memory", "64m", "--index", "16m"]);
        _garnet.Start();
    }

    public string RedisConnectionString { get; }

    public string SqlConnectionString(string owner) => $"Data Source={Path.Combine(_sqliteFolder, owner + ".db")}";

    public void Dispose()
    {
        _garnet.Dispose();
        Directory.Delete(_sqliteFolder, recursive: true);
    }
}
