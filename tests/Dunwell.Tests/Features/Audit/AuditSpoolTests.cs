using System.Net;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Features.Audit;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dunwell.Tests.Features.Audit;

/// <summary>
/// On SQLite a read does not wait for a long writer (an import) to record its audit event: the event goes to the spool
/// and reaches audit_events once the writer is done. The spool is a file: what a stopped or killed app left there is
/// moved on the next start, once.
/// </summary>
public sealed class AuditSpoolTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_read_while_another_writer_holds_the_database_answers_and_its_audit_event_follows_the_commit()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 15, 0));
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (debtorId, accountId) = await RecordsSeed.AccountAsync(app, agent);

        await using var writer = new SqliteConnection(database.ConnectionString);
        await writer.OpenAsync(Cancel);
        await using var reader = new SqliteConnection(database.ConnectionString);
        await reader.OpenAsync(Cancel);
        await using (var transaction = writer.BeginTransaction()) // BEGIN IMMEDIATE: the write lock, as an import holds it
        {
            var read = await agent.GetAsync($"/api/v1/accounts/{accountId}", Cancel);

            // Answered while the writer still holds the lock; the read's events wait in the spool.
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal(0L, await CountAsync(reader, $"SELECT count(*) FROM audit_events WHERE subject = 'debtor:{debtorId}' AND action = 'debtor.read'"));
            Assert.Equal(2L, await app.Services.GetRequiredService<AuditSpool>().CountAsync(Cancel));
            await transaction.CommitAsync(Cancel);
        }

        // The mover, not the test, brings them over (polled, so a slow machine only takes longer).
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await CountAsync(reader, $"SELECT count(*) FROM audit_events WHERE subject IN ('debtor:{debtorId}', 'account:{accountId}') AND action IN ('debtor.read', 'account.read')") < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "The spooled read events never reached audit_events.");
            await Task.Delay(100, Cancel);
        }

        Assert.Equal(0L, await app.Services.GetRequiredService<AuditSpool>().CountAsync(Cancel));
    }

    [Fact]
    public async Task The_trail_and_the_chain_check_answer_while_a_writer_holds_the_database_and_say_what_is_still_spooled()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 15, 0));
        var agent = await app.ClientAsAsync(Roles.Agent);
        var auditor = await app.ClientAsAsync(Roles.Auditor);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);

        await using var writer = new SqliteConnection(database.ConnectionString);
        await writer.OpenAsync(Cancel);
        await using (var transaction = writer.BeginTransaction())
        {
            Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync($"/api/v1/accounts/{accountId}", Cancel)).StatusCode);

            // The spool cannot be moved while the writer holds the lock: both answer anyway, saying how many events wait.
            var trail = await auditor.GetAsync("/api/v1/audit", Cancel);
            Assert.Equal(HttpStatusCode.OK, trail.StatusCode);
            Assert.True((await trail.JsonAsync()).GetProperty("spooled").GetInt64() >= 2);
            var verify = await auditor.GetAsync("/api/v1/audit/verify", Cancel);
            Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
            var report = await verify.JsonAsync();
            Assert.True(report.GetProperty("intact").GetBoolean());
            Assert.True(report.GetProperty("spooled").GetInt64() >= 2);
            await transaction.CommitAsync(Cancel);
        }

        // Once the writer is done, the next look moves them first: nothing waits and the reads are in the trail.
        var after = await (await auditor.GetAsync($"/api/v1/audit?subject=account:{accountId}&action=account.read", Cancel)).JsonAsync();
        Assert.Equal(0L, after.GetProperty("spooled").GetInt64());
        Assert.Single(after.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Events_left_in_the_spool_by_a_stopped_app_are_moved_on_the_next_start_exactly_once()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using (var first = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 15, 0)))
        {
            await first.WithDbAsync(db => Task.CompletedTask); // migrated
        }

        // As a killed app leaves it: two events spooled, and one of them already copied before the kill (its spool row not yet deleted).
        var spoolFile = AuditSpool.FileFor(database.ConnectionString)!;
        using (var spool = new AuditSpool(spoolFile))
        {
            var at = Instant.FromUtc(2026, 3, 2, 15, 30);
            await spool.WriteAsync(
                [new AuditEvent { Actor = "user:a@example.com", Action = "debtor.read", Subject = "debtor:1", At = at },
                 new AuditEvent { Actor = "user:a@example.com", Action = "account.read", Subject = "account:1", At = at }],
                Cancel);
        }

        await using (var connection = new SqliteConnection($"Data Source={spoolFile}"))
        {
            await connection.OpenAsync(Cancel);
            var copied = (string)(await new SqliteCommand("SELECT spool_id FROM spooled_audit_events ORDER BY seq LIMIT 1", connection).ExecuteScalarAsync(Cancel))!;
            await using var main = new SqliteConnection(database.ConnectionString);
            await main.OpenAsync(Cancel);
            // Copied as the mover copies (chained), with its spool id.
            await using var db = new SqliteDunwellDb(new DbContextOptionsBuilder<SqliteDunwellDb>().UseSqlite(main).UseSnakeCaseNamingConvention().Options, CreditorScope.Unrestricted());
            db.AuditEvents.Add(new AuditEvent { Actor = "user:a@example.com", Action = "debtor.read", Subject = "debtor:1", At = Instant.FromUtc(2026, 3, 2, 15, 30), SpoolId = copied });
            await db.SaveChangesAsync(Cancel);
        }

        SqliteConnection.ClearAllPools();
        await using var second = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 16, 0));
        await using var reader = new SqliteConnection(database.ConnectionString);
        await reader.OpenAsync(Cancel);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await CountAsync(reader, "SELECT count(*) FROM audit_events WHERE actor = 'user:a@example.com' AND action = 'account.read'") < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "The events left in the spool were not moved on start.");
            await Task.Delay(100, Cancel);
        }

        Assert.Equal(1L, await CountAsync(reader, "SELECT count(*) FROM audit_events WHERE actor = 'user:a@example.com' AND action = 'debtor.read'"));
        Assert.Equal(0L, await second.Services.GetRequiredService<AuditSpool>().CountAsync(Cancel));
    }

    private static async Task<long> CountAsync(SqliteConnection connection, string sql)
    {
        await using var command = new SqliteCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(Cancel))!;
    }
}
