using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace PingAspire.Server.Integrations;

// The tutorial's sqlalchemy_integration: create tables person and address if missing, then (going further than
// create_all) write one person and read it back, four statements in one command. SQLite is embedded, so this
// integration always runs.
public sealed class SqliteIntegration(IConfiguration configuration, OperationLayers layers, FailureLog failureLog)
    : Integration("sql", "sqlite", "BATCH", 4, layers, failureLog)
{
    // The AppHost passes ConnectionStrings:sql; run alone, the server keeps its file in the user's own data folder
    // (a shared one in the temp folder would be readonly for everyone but whoever created it first).
    private readonly string _connectionString = configuration.GetConnectionString("sql")
        ?? new SqliteConnectionStringBuilder { DataSource = DefaultFile() }.ToString();

    private volatile bool _walSet;

    public override bool IsConfigured => true;

    private static string DefaultFile() => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
        "PingAspire", "pingaspire.db");

    protected override async Task ExecuteAsync(Activity? span, int length, CancellationToken cancellationToken)
    {
        // Connections are pooled by Microsoft.Data.Sqlite: opening one per request is the cheap, safe pattern.
        await using var connection = new SqliteConnection(_connectionString);
        if (Path.GetDirectoryName(connection.DataSource) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        await connection.OpenAsync(cancellationToken);
        // The file's name is the database's logical name; its full path would name the user's home folder.
        span?.SetTag("db.namespace", Path.GetFileName(connection.DataSource));

        // WAL (kept by the file once set, so once per process): readers never wait for the writer, and concurrent
        // requests queue for the write lock briefly instead of stalling behind every commit's full sync.
        if (!_walSet)
        {
            await using var journal = connection.CreateCommand();
            journal.CommandText = "PRAGMA journal_mode = WAL;";
            await journal.ExecuteNonQueryAsync(cancellationToken);
            _walSet = true;
        }

        // The row is read back by deleting it (RETURNING), so every request leaves the table as it found it: empty.
        await using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS person (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS address (
                id INTEGER PRIMARY KEY,
                street_name TEXT,
                person_id INTEGER NOT NULL REFERENCES person (id));
            INSERT INTO person (name) VALUES ($name);
            DELETE FROM person WHERE id = last_insert_rowid() RETURNING name;
            """;
        var name = $"ping-{length}";
        command.Parameters.AddWithValue("$name", name);
        var stored = (string?)await command.ExecuteScalarAsync(cancellationToken);
        if (stored != name)
        {
            throw new InvalidOperationException($"SQLite returned '{stored}', expected '{name}'.");
        }
    }
}
