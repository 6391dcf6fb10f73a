using Dunwell.Features.Audit;
using Microsoft.Data.Sqlite;

namespace Dunwell.Tests.Cli;

/// <summary><c>dunwell audit verify</c>: exit 0 and a count when intact; exit 3 and the first broken link, on one line, when not.</summary>
[Collection(ConsoleIsShared.Name)]
public sealed class AuditVerbTests : IDisposable
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
    public async Task Audit_verify_exits_zero_on_intact_records_and_three_naming_the_first_broken_link()
    {
        Assert.Equal(0, (await AdminVerbTests.RunAsync("apikeys", "create", "--name", "crm-sync", "--role", "admin", "--creditors", "*", HostArg, AppName)).Code);

        var intact = await AdminVerbTests.RunAsync("audit", "verify", HostArg, AppName);

        Assert.Equal(0, intact.Code);
        Assert.StartsWith("Intact: ", intact.Stdout, StringComparison.Ordinal);

        await using (var connection = new SqliteConnection($"Data Source={DatabaseFile}"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER audit_events_no_update; UPDATE audit_events SET actor = 'system:someone-else' WHERE action = 'apikey.create';";
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var broken = await AdminVerbTests.RunAsync("audit", "verify", HostArg, AppName);

        Assert.Equal(AuditVerifyVerb.BrokenExitCode, broken.Code);
        Assert.Single(broken.Stderr.Trim().Split('\n'));
        Assert.Contains($"audit_events id 1 (chain audit_events:apikey:crm-sync, position 1): {BreakKinds.Content}", broken.Stderr, StringComparison.Ordinal);
    }
}
