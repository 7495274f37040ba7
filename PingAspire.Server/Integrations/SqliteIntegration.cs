using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace PingAspire.Server.Integrations;

// The tutorial's sqlalchemy_integration: create tables person and address if missing, then (going further than
// create_all) insert one person and read it back. SQLite is embedded, so this integration always runs.
public sealed class SqliteIntegration(IConfiguration configuration, ILogger<SqliteIntegration> logger)
    : Integration("sql", "sqlite", "INSERT SELECT", logger)
{
    private readonly string _connectionString = configuration.GetConnectionString("sql")
        ?? $"Data Source={Path.Combine(Path.GetTempPath(), "pingaspire.db")}";

    public override bool IsConfigured => true;

    protected override async Task ExecuteAsync(Activity? span, int length, CancellationToken cancellationToken)
    {
        // Connections are pooled by Microsoft.Data.Sqlite: opening one per request is the cheap, safe pattern.
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        span?.SetTag("db.namespace", connection.DataSource);

        await using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS person (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS address (
                id INTEGER PRIMARY KEY,
                street_name TEXT,
                person_id INTEGER NOT NULL REFERENCES person (id));
            INSERT INTO person (name) VALUES ($name);
            SELECT name FROM person WHERE id = last_insert_rowid();
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
