using Dunwell.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Dunwell.Tests.Cli;

/// <summary>Finding 7 on the command line: the user and key lifecycles, and no password echoed that the caller gave.</summary>
[Collection(ConsoleIsShared.Name)]
public sealed class CredentialVerbTests : IDisposable
{
    private const string AppName = "--applicationName=dunwell";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("dunwell-cli-");

    private string Host => $"--Dunwell:Database:ConnectionString=Data Source={Path.Combine(_directory.FullName, "dunwell.db")}";

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

    private Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) => AdminVerbTests.RunAsync([.. args, Host, AppName]);

    private async Task<bool> PasswordWorksAsync(string email, string password)
    {
        await using var db = Open();
        var user = await db.Users.SingleAsync(u => u.Email == email, Cancel);
        return new PasswordHasher<DunwellUser>().VerifyHashedPassword(user, user.PasswordHash!, password) != PasswordVerificationResult.Failed;
    }

    [Fact]
    public async Task Users_add_never_prints_a_password_it_was_given_and_prints_a_generated_one_once()
    {
        var given = await RunAsync("users", "add", "--email", "ana@cli.test", "--role", "agent", "--creditors", "*", "--password", "Given-secret-42");
        var generated = await RunAsync("users", "add", "--email", "bo@cli.test", "--role", "agent", "--creditors", "*");

        Assert.Equal(0, given.Code);
        Assert.DoesNotContain("Given-secret-42", given.Stdout + given.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, generated.Code);
        var printed = generated.Stdout.TrimEnd().Split('\n')[^1].Trim();
        Assert.Equal(2, generated.Stdout.Split(printed).Length); // printed exactly once
        Assert.True(await PasswordWorksAsync("bo@cli.test", printed));
        Assert.True(await PasswordWorksAsync("ana@cli.test", "Given-secret-42"));
    }

    [Fact]
    public async Task Users_list_disable_enable_set_role_set_creditors_and_reset_password_each_change_the_user_and_are_audited()
    {
        Assert.Equal(0, (await RunAsync("users", "add", "--email", "ana@cli.test", "--role", "agent", "--creditors", "*", "--password", "Given-secret-42")).Code);
        Assert.Equal(0, (await RunAsync("creditors", "add", "--reference", "NWU", "--name", "Northwind", "--jurisdiction-pack", "US-FDCPA", "--time-zone", "America/New_York")).Code);

        var disabled = await RunAsync("users", "disable", "--email", "ana@cli.test");
        var listedDisabled = await RunAsync("users", "list");
        var enabled = await RunAsync("users", "enable", "--email", "ana@cli.test");
        var role = await RunAsync("users", "set-role", "--email", "ana@cli.test", "--role", "supervisor");
        var badRole = await RunAsync("users", "set-role", "--email", "ana@cli.test", "--role", "boss");
        var creditors = await RunAsync("users", "set-creditors", "--email", "ana@cli.test", "--creditors", "NWU");
        var badCreditors = await RunAsync("users", "set-creditors", "--email", "ana@cli.test", "--creditors", "NOPE");
        var unlockActive = await RunAsync("users", "unlock", "--email", "ana@cli.test");
        var reset = await RunAsync("users", "reset-password", "--email", "ana@cli.test");
        var listed = await RunAsync("users", "list");
        var unknown = await RunAsync("users", "disable", "--email", "nobody@cli.test");

        Assert.Equal((0, 0, 0, 0), (disabled.Code, enabled.Code, role.Code, creditors.Code));
        Assert.Contains("ana@cli.test\tagent\t*\tdisabled", listedDisabled.Stdout, StringComparison.Ordinal);
        Assert.Equal("dunwell: Unknown role 'boss'. Use one of: agent, supervisor, admin, auditor.", badRole.Stderr.Trim());
        Assert.Equal("dunwell: --creditors: No creditor with reference 'NOPE'.", badCreditors.Stderr.Trim());
        Assert.Equal(0, unlockActive.Code); // a user who is not locked: nothing to end, nothing refused
        Assert.Equal(0, reset.Code);
        var password = reset.Stdout.TrimEnd().Split('\n')[^1].Trim();
        Assert.True(await PasswordWorksAsync("ana@cli.test", password));
        Assert.False(await PasswordWorksAsync("ana@cli.test", "Given-secret-42"));
        Assert.Contains("ana@cli.test\tsupervisor\tNWU\tactive", listed.Stdout, StringComparison.Ordinal);
        Assert.Equal("dunwell: No user with email 'nobody@cli.test'.", unknown.Stderr.Trim());
        Assert.Equal(1, unknown.Code);

        await using var db = Open();
        var actions = await db.AuditEvents.Where(e => e.Subject == "user:ana@cli.test").OrderBy(e => e.Id).Select(e => e.Action).ToListAsync(Cancel);
        Assert.Equal(["user.create", "user.disable", "user.enable", "user.set-role", "user.set-creditors", "user.unlock", "user.reset-password"], actions);
    }

    [Fact]
    public async Task Reset_password_takes_one_from_standard_input_without_printing_it()
    {
        Assert.Equal(0, (await RunAsync("users", "add", "--email", "ana@cli.test", "--role", "agent", "--creditors", "*")).Code);
        var oldIn = Console.In;
        Console.SetIn(new StringReader("From-stdin-secret-7\n"));
        try
        {
            var reset = await RunAsync("users", "reset-password", "--email", "ana@cli.test", "--password-stdin");

            Assert.Equal(0, reset.Code);
            Assert.DoesNotContain("From-stdin-secret-7", reset.Stdout, StringComparison.Ordinal);
            Assert.True(await PasswordWorksAsync("ana@cli.test", "From-stdin-secret-7"));
        }
        finally
        {
            Console.SetIn(oldIn);
        }
    }

    [Fact]
    public async Task Apikeys_list_shows_no_secret_set_creditors_changes_them_and_revoke_refuses_the_key_and_a_second_revoke()
    {
        var created = await RunAsync("apikeys", "create", "--name", "crm-sync", "--role", "agent", "--creditors", "*");
        var key = created.Stdout.TrimEnd().Split('\n')[^1].Trim();

        var listed = await RunAsync("apikeys", "list");
        var unknownCreditor = await RunAsync("apikeys", "set-creditors", "crm-sync", "--creditors", "NOPE");
        var everyCreditor = await RunAsync("apikeys", "set-creditors", "crm-sync", "--creditors", "*");
        var revoked = await RunAsync("apikeys", "revoke", "crm-sync");
        var afterRevoke = await RunAsync("apikeys", "set-creditors", "crm-sync", "--creditors", "*");
        var again = await RunAsync("apikeys", "revoke", "crm-sync");
        var listedAfter = await RunAsync("apikeys", "list");

        Assert.Contains("crm-sync\tdwk_", listed.Stdout, StringComparison.Ordinal);
        Assert.Contains("\tactive", listed.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Split('.')[1], listed.Stdout, StringComparison.Ordinal);
        Assert.NotEqual(0, unknownCreditor.Code);
        Assert.Contains("NOPE", unknownCreditor.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, everyCreditor.Code);
        Assert.Contains("now acts for every creditor", everyCreditor.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, afterRevoke.Code);
        Assert.Contains("already revoked", afterRevoke.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, revoked.Code);
        Assert.Equal(1, again.Code);
        Assert.StartsWith("dunwell: API key 'crm-sync' was already revoked", again.Stderr, StringComparison.Ordinal);
        Assert.Contains("\trevoked ", listedAfter.Stdout, StringComparison.Ordinal);
        await using var db = Open();
        Assert.NotNull((await db.ApiKeys.SingleAsync(Cancel)).RevokedAt);
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "apikey.revoke", Cancel));
    }

    private SqliteDunwellDb Open()
    {
        var options = new DbContextOptionsBuilder<SqliteDunwellDb>();
        DatabaseSetup.ConfigureSqlite(options, $"Data Source={Path.Combine(_directory.FullName, "dunwell.db")}");
        return new SqliteDunwellDb(options.Options, CreditorScope.Unrestricted());
    }
}
