using Dunwell.Data;
using Dunwell.Web.Auth;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Dunwell.Tests.Cli;

/// <summary>Console output is process-wide, so the tests that read it run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleIsShared
{
    public const string Name = "Console";
}

/// <summary><c>migrate</c>, <c>users add</c>, <c>apikeys create</c> and the CLI's failure contract, run in process on a temp SQLite file.</summary>
[Collection(ConsoleIsShared.Name)]
public sealed class AdminVerbTests : IDisposable
{
    private const string AppName = "--applicationName=dunwell";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("dunwell-cli-");

    private string DatabaseFile => Path.Combine(_directory.FullName, "dunwell.db");

    private string HostArg => $"--Dunwell:Database:ConnectionString=Data Source={DatabaseFile}";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // a pooled connection still closing; the OS cleans temp
        }
    }

    [Fact]
    public async Task Apikeys_create_prints_the_key_alone_on_the_last_line_and_stores_only_its_hash()
    {
        var (code, stdout, _) = await RunAsync("apikeys", "create", "--name", "crm-sync", "--role", "admin", "--creditors", "*", HostArg, AppName);

        Assert.Equal(0, code);
        var key = stdout.TrimEnd().Split('\n')[^1].Trim();
        Assert.StartsWith("dwk_", key, StringComparison.Ordinal);
        await using var db = Open();
        var stored = await db.ApiKeys.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(("crm-sync", "admin", ApiKeys.Hash(key)), (stored.Name, stored.Role, stored.SecretHash));
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "apikey.create", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Users_add_creates_a_user_in_the_role_and_an_unknown_role_is_a_one_line_refusal()
    {
        var added = await RunAsync("users", "add", "--email", "ana@example.test", "--role", "supervisor", "--creditors", "*", "--password", "Long-enough-1", HostArg, AppName);
        var refused = await RunAsync("users", "add", "--email", "bo@example.test", "--role", "boss", "--creditors", "*", HostArg, AppName);

        Assert.Equal(0, added.Code);
        Assert.Equal(1, refused.Code);
        Assert.Equal("dunwell: unknown role 'boss'. Use one of: agent, supervisor, admin, auditor.", refused.Stderr.Trim());
        await using var db = Open();
        var user = await db.Users.SingleAsync(TestContext.Current.CancellationToken);
        var role = await db.UserRoles.Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name).SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(("ana@example.test", "supervisor"), (user.Email, role));
    }

    [Fact]
    public async Task Migrate_creates_the_schema_in_wal_mode()
    {
        var (code, stdout, _) = await RunAsync("migrate", HostArg, AppName);

        Assert.Equal(0, code);
        Assert.Contains("up to date", stdout, StringComparison.Ordinal);
        await using var connection = new SqliteConnection($"Data Source={DatabaseFile}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode; SELECT count(*) FROM sqlite_master WHERE name = 'ledger_entries';";
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal("wal", reader.GetString(0));
    }

    [Fact]
    public async Task A_misspelt_verb_or_option_fails_with_one_line_and_no_help_dump()
    {
        var verb = await RunAsync("improt", "placements", "x.csv");
        var option = await RunAsync("apikeys", "create", "--nme", "x", "--role", "admin");

        Assert.All(new[] { verb, option }, result =>
        {
            Assert.NotEqual(0, result.Code);
            Assert.Single(result.Stderr.Trim().Split('\n'));
            Assert.StartsWith("dunwell: ", result.Stderr, StringComparison.Ordinal);
            Assert.Equal("", result.Stdout);
        });
    }

    [Fact]
    public async Task A_database_that_cannot_be_opened_is_a_one_line_failure_not_a_stack_trace()
    {
        var missingFolder = Path.Combine(_directory.FullName, "no-such-folder", "x.db");

        var (code, _, stderr) = await RunAsync("migrate", $"--Dunwell:Database:ConnectionString=Data Source={missingFolder}", AppName);

        Assert.Equal(1, code);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("unable to open database file", stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Demo_refuses_a_database_that_holds_a_portfolio_it_did_not_create_and_adds_no_users()
    {
        Assert.Equal(0, (await RunAsync("migrate", HostArg, AppName)).Code);
        await using (var db = Open())
        {
            var creditor = new Creditor { Reference = "REAL", Name = "Real Creditor", JurisdictionPack = "US-FDCPA", TimeZone = "America/New_York" };
            var debtor = new Debtor { Creditor = creditor, Reference = "D", Name = "Real Person", SearchName = "real person", Country = "US" };
            db.Accounts.Add(new Account { Reference = "R-1", Creditor = creditor, Debtor = debtor, Currency = "USD" });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var (code, _, stderr) = await RunAsync("demo", "--urls", "http://127.0.0.1:0", HostArg, AppName);

        Assert.Equal(1, code);
        Assert.Contains("demo only seeds an empty database", stderr, StringComparison.Ordinal);
        await using var after = Open();
        Assert.Equal(0, await after.Users.CountAsync(TestContext.Current.CancellationToken));
    }

    private SqliteDunwellDb Open()
    {
        var options = new DbContextOptionsBuilder<SqliteDunwellDb>();
        DatabaseSetup.ConfigureSqlite(options, $"Data Source={DatabaseFile}");
        return new SqliteDunwellDb(options.Options, CreditorScope.Unrestricted());
    }

    internal static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var (oldOut, oldError) = (Console.Out, Console.Error);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var code = await Web.Cli.RunAsync(args);
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }
}
