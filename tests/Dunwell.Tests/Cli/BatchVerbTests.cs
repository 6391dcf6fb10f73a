using Microsoft.Data.Sqlite;

namespace Dunwell.Tests.Cli;

/// <summary>The batch verbs the daily cycle will run: <c>charges post</c> and <c>outbox screen</c>, on a temp SQLite file.</summary>
[Collection(ConsoleIsShared.Name)]
public sealed class BatchVerbTests : IDisposable
{
    private const string AppName = "--applicationName=dunwell";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("dunwell-cli-");

    private string HostArg => $"--Dunwell:Database:ConnectionString=Data Source={Path.Combine(_directory.FullName, "dunwell.db")}";

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
    public async Task The_batch_verbs_report_what_they_did_and_refuse_a_bad_date_or_instant_in_one_line()
    {
        Assert.Equal(0, (await AdminVerbTests.RunAsync("migrate", HostArg, AppName)).Code);

        var posted = await AdminVerbTests.RunAsync("charges", "post", "--date", "2026-03-02", HostArg, AppName);
        var badDate = await AdminVerbTests.RunAsync("charges", "post", "--date", "2026-13-01", HostArg, AppName);
        var screened = await AdminVerbTests.RunAsync("outbox", "screen", "--at", "2026-03-02T09:00:00-05:00", HostArg, AppName);
        var badInstant = await AdminVerbTests.RunAsync("outbox", "screen", "--at", "tomorrow", HostArg, AppName);

        Assert.Equal((0, "Charges for 2026-03-02: 0 accounts examined, 0 entries posted (0 corrections)."), (posted.Code, posted.Stdout.Trim()));
        Assert.Equal((1, "dunwell: --date '2026-13-01' is not a date like 2026-03-31."), (badDate.Code, badDate.Stderr.Trim()));
        Assert.Equal((0, "Screened 0 due messages: 0 may go, 0 moved later, 0 held."), (screened.Code, screened.Stdout.Trim()));
        Assert.Equal(1, badInstant.Code);
        Assert.StartsWith("dunwell: --at 'tomorrow' is not an instant", badInstant.Stderr.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Idempotency_purge_forgets_only_answers_older_than_asked_and_refuses_an_age_under_a_day()
    {
        Assert.Equal(0, (await AdminVerbTests.RunAsync("migrate", HostArg, AppName)).Code);
        var file = Path.Combine(_directory.FullName, "dunwell.db");
        using (var connection = new SqliteConnection($"Data Source={file}"))
        {
            connection.Open();
            using var insert = connection.CreateCommand();
            // One answer from 2020, one from a minute ago.
            insert.CommandText = "INSERT INTO idempotency_records (key, request_hash, state, status_code, response_body, created_at) VALUES " +
                "('old', 'h', 'Completed', 201, '{}', '2020-01-01 00:00:00'), ('new', 'h', 'Completed', 201, '{}', @now)";
            insert.Parameters.AddWithValue("@now", DateTime.UtcNow.AddMinutes(-1).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
            insert.ExecuteNonQuery();
        }

        var purged = await AdminVerbTests.RunAsync("idempotency", "purge", HostArg, AppName);
        var tooShort = await AdminVerbTests.RunAsync("idempotency", "purge", "--older-than-days", "0", HostArg, AppName);

        Assert.Equal((0, "Forgot 1 remembered answers older than 30 days."), (purged.Code, purged.Stdout.Trim()));
        Assert.Equal(1, tooShort.Code);
        using var check = new SqliteConnection($"Data Source={file}");
        check.Open();
        using var keys = check.CreateCommand();
        keys.CommandText = "SELECT group_concat(key) FROM idempotency_records";
        Assert.Equal("new", keys.ExecuteScalar());
    }
}
