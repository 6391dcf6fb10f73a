using Microsoft.Data.Sqlite;
using Npgsql;

namespace Dunwell.Tests.Support;

/// <summary>
/// A brand-new, empty database for one test: a file for SQLite, a fresh database on the server for PostgreSQL.
/// PostgreSQL cases are skipped, not passed, when no server is configured, and fail under CI=true.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "DUNWELL_TEST_POSTGRES";

    private readonly Func<Task> _drop;

    private TestDatabase(string provider, string connectionString, Func<Task> drop)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _drop = drop;
    }

    public string Provider { get; }

    public string ConnectionString { get; }

    public static Task<TestDatabase> CreateAsync(string provider) => provider switch
    {
        "sqlite" => Task.FromResult(CreateSqlite()),
        "postgres" => CreatePostgresAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "sqlite or postgres"),
    };

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CardNumberScan.RunAsync(Provider, ConnectionString);
        }
        finally
        {
            await _drop();
        }
    }

    private static TestDatabase CreateSqlite()
    {
        var directory = Directory.CreateTempSubdirectory("dunwell-test-");
        var file = Path.Combine(directory.FullName, "dunwell.db");
        return new TestDatabase("sqlite", $"Data Source={file}", () =>
        {
            SqliteConnection.ClearAllPools();
            try
            {
                directory.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A connection still closing; the temp folder is cleaned by the OS.
            }

            return Task.CompletedTask;
        });
    }

    private static async Task<TestDatabase> CreatePostgresAsync()
    {
        var server = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrEmpty(server))
        {
            Assert.False(IsCi, $"CI=true but {PostgresVariable} is not set: PostgreSQL cases must run in CI.");
            Assert.Skip($"Set {PostgresVariable} to a PostgreSQL connection string to run this case.");
        }

        var name = $"dunwell_test_{Guid.NewGuid():N}";
        await ExecuteAsync(server, $"CREATE DATABASE \"{name}\"");
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, IncludeErrorDetail = true }.ConnectionString;
        return new TestDatabase("postgres", connectionString, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        });
    }

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
