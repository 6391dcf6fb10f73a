using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Dunwell.Data;

/// <summary>Which database the app uses (Dunwell:Database:Provider / ConnectionString) and how it is opened.</summary>
public static class DatabaseSetup
{
    public const string DefaultSqlite = "Data Source=dunwell.db";

    public static string Provider(IConfiguration configuration) =>
        (configuration["Dunwell:Database:Provider"] ?? "sqlite").Trim().ToLowerInvariant();

    public static string ConnectionString(IConfiguration configuration) =>
        configuration["Dunwell:Database:ConnectionString"] is { Length: > 0 } given ? given : DefaultSqlite;

    public static IServiceCollection AddDunwellDb(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = ConnectionString(configuration);
        services.AddScoped<CreditorScope>();
        _ = Provider(configuration) switch
        {
            "sqlite" => services.AddDbContext<DunwellDb, SqliteDunwellDb>(o => ConfigureSqlite(o, connectionString)),
            "postgres" or "postgresql" => services.AddDbContext<DunwellDb, PostgresDunwellDb>(o => ConfigurePostgres(o, connectionString)),
            var other => throw new InvalidOperationException($"Unknown database provider '{other}' in Dunwell:Database:Provider. Use sqlite or postgres."),
        };
        return services;
    }

    public static void ConfigureSqlite(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString).UseSnakeCaseNamingConvention().AddInterceptors(SqlitePragmas.Instance);

    public static void ConfigurePostgres(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString).UseSnakeCaseNamingConvention();

    /// <summary>
    /// A service scope for system work (batch verbs, background services): its units of work act for every creditor.
    /// Requests never use this; their scope comes from the caller's credential.
    /// </summary>
    public static AsyncServiceScope CreateSystemScope(this IServiceProvider services)
    {
        var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CreditorScope>().AllowAll();
        return scope;
    }

    /// <summary>
    /// Brings the schema up to date and saves any default message template not yet saved; on SQLite also switches the
    /// file to WAL (a property of the file, so once is enough).
    /// </summary>
    public static async Task MigrateAsync(DunwellDb db, CancellationToken cancellationToken)
    {
        await db.Database.MigrateAsync(cancellationToken);
        // The app's clock (a test's fake one) when the context came from the app's services.
        var clock = Microsoft.EntityFrameworkCore.Infrastructure.AccessorExtensions.GetService<Microsoft.EntityFrameworkCore.Infrastructure.IDbContextOptions>(db)
            .FindExtension<Microsoft.EntityFrameworkCore.Infrastructure.CoreOptionsExtension>()
            ?.ApplicationServiceProvider?.GetService<TimeProvider>() ?? TimeProvider.System;
        await Features.Templates.DefaultTemplates.SeedAsync(db, Features.ClockExtensions.Now(clock), cancellationToken);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    /// <summary>A plain connection with the same pragmas, for bulk paths that bypass EF Core.</summary>
    public static void ApplySqlitePragmas(DbConnection connection) => SqlitePragmas.Apply(connection);
}

/// <summary>
/// Per-connection SQLite settings: wait for the writer instead of failing, enforce foreign keys,
/// and flush to disk on every commit (synchronous=FULL) because these writes carry money.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static SqlitePragmas Instance { get; } = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    public static void Apply(DbConnection connection)
    {
        if (connection is not SqliteConnection)
        {
            return;
        }

        using var command = connection.CreateCommand();
        // journal_mode is a property of the file; asking again is a no-op once it is WAL, and covers a file made without `migrate`.
        command.CommandText = "PRAGMA busy_timeout=10000; PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;";
        command.ExecuteNonQuery();
    }
}

/// <summary>Lets <c>dotnet ef</c> build each context without starting the app.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteDunwellDb>
{
    public SqliteDunwellDb CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqliteDunwellDb>();
        DatabaseSetup.ConfigureSqlite(options, DatabaseSetup.DefaultSqlite);
        return new SqliteDunwellDb(options.Options, CreditorScope.Unrestricted());
    }
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresDunwellDb>
{
    public PostgresDunwellDb CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresDunwellDb>();
        DatabaseSetup.ConfigurePostgres(options, "Host=localhost;Database=dunwell");
        return new PostgresDunwellDb(options.Options, CreditorScope.Unrestricted());
    }
}
