using System.Net;
using System.Net.Http.Json;
using Dunwell.Data;
using Dunwell.Web;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Records;

/// <summary>Ledger entries, interactions and audit events are append-only twice over: the application refuses, and so does the database.</summary>
public sealed class AppendOnlyTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task<TestApp> StartWithRecordsAsync(TestDatabase database)
    {
        var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 16, 0));
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var response = await agent.PostAsJsonAsync($"/api/v1/accounts/{accountId}/interactions", new { channel = "note", notes = "Called back" }, Cancel);
        response.EnsureSuccessStatusCode();
        return app;
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_application_refuses_to_change_or_delete_a_ledger_entry_or_an_interaction(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await StartWithRecordsAsync(database);

        await app.WithDbAsync(async db =>
        {
            var entry = await db.Ledger.SingleAsync(Cancel);
            db.Entry(entry).Property(e => e.Principal).CurrentValue = 1;
            await Assert.ThrowsAsync<AppendOnlyViolationException>(() => db.SaveChangesAsync(Cancel));
        });
        await app.WithDbAsync(async db =>
        {
            db.Interactions.Remove(await db.Interactions.SingleAsync(Cancel));
            await Assert.ThrowsAsync<AppendOnlyViolationException>(() => db.SaveChangesAsync(Cancel));
        });

        Assert.Equal(50_000, await app.WithDbAsync(db => db.Ledger.Select(e => e.Principal).SingleAsync(Cancel)));
        Assert.Equal(1, await app.WithDbAsync(db => db.Interactions.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task No_way_of_changing_a_row_with_sql_works_on_any_append_only_table(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await StartWithRecordsAsync(database);
        await PayAndReverseAsync(app);
        // A second payment reference, so a rewrite can aim one row's key at another's.
        var second = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{await app.WithDbAsync(db => db.Accounts.Select(a => a.Id).SingleAsync(Cancel))}/payments")
        {
            Content = JsonContent.Create(new { amount = "5.00", paidOn = "2026-03-01", reference = "PAY-2" }),
        };
        second.Headers.Add("Idempotency-Key", "pay-2");
        Assert.Equal(HttpStatusCode.Created, (await (await app.ClientAsAsync(Roles.Agent)).SendAsync(second, Cancel)).StatusCode);
        // An event moved from the SQLite read spool carries a spool id: its unique key is tried too.
        await app.WithDbAsync(db =>
        {
            db.AuditEvents.Add(new AuditEvent { At = Instant.FromUtc(2026, 3, 2, 12, 0), Actor = "user:a@example.test", Action = "account.read", Subject = "account:1", SpoolId = "spooled-1" });
            return db.SaveChangesAsync(Cancel);
        });

        var failures = new List<string>();
        foreach (var table in AppendOnlyTriggers.Tables)
        {
            var rewrites = await app.WithDbAsync(db => SqlRewrites.ForAsync(db, table));
            foreach (var rewrite in rewrites)
            {
                var before = await app.WithDbAsync(db => SqlRewrites.SnapshotAsync(db, table));
                var refused = await app.WithDbAsync(async db =>
                {
                    // Each try in its own transaction, committed if it got through, so a rewrite that works shows in the rows.
                    await using var transaction = await db.Database.BeginTransactionAsync(Cancel);
                    foreach (var setup in rewrite.Setup)
                    {
                        await db.Database.ExecuteSqlRawAsync(setup, Cancel);
                    }

                    var error = await Record.ExceptionAsync(() => db.Database.ExecuteSqlRawAsync(rewrite.Sql, Cancel));
                    if (error is null)
                    {
                        await transaction.CommitAsync(Cancel);
                    }

                    return error;
                });
                var after = await app.WithDbAsync(db => SqlRewrites.SnapshotAsync(db, table));

                if (refused is null || !refused.Message.Contains("append-only", StringComparison.Ordinal) || !before.SequenceEqual(after))
                {
                    failures.Add($"{table}: {rewrite.Name}: {refused?.Message ?? "not refused"}{(before.SequenceEqual(after) ? "" : " (rows changed)")}\n    {rewrite.Sql}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_duplicate_key_on_an_append_only_table_still_reads_as_a_conflict_not_a_server_error(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await StartWithRecordsAsync(database);
        await PayAndReverseAsync(app);

        // What a second, racing reversal of the same entry, or a reused idempotency key, meets at the database: a key taken.
        var taken = await app.WithDbAsync(db => db.Ledger.AsNoTracking().Where(e => e.ReversesEntryId != null).SingleAsync(Cancel));
        var keyed = await app.WithDbAsync(db => db.Ledger.AsNoTracking().Where(e => e.IdempotencyKey != null).FirstAsync(Cancel));
        foreach (var copy in new[] { Copy(taken, reversesEntryId: taken.ReversesEntryId), Copy(keyed, idempotencyKey: keyed.IdempotencyKey) })
        {
            var refused = await app.WithDbAsync(async db =>
            {
                db.Ledger.Add(copy);
                return await Record.ExceptionAsync(() => db.SaveChangesAsync(Cancel));
            });
            Assert.True(refused is DbUpdateException e && ApiProblems.IsUniqueViolation(e), refused?.ToString());
        }
    }

    /// <summary>A payment and its reversal, so the ledger has rows with an idempotency key and with a reversed entry.</summary>
    private static async Task PayAndReverseAsync(TestApp app)
    {
        var accountId = await app.WithDbAsync(db => db.Accounts.Select(a => a.Id).SingleAsync(Cancel));
        var agent = await app.ClientAsAsync(Roles.Agent);
        var payment = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{accountId}/payments")
        {
            Content = JsonContent.Create(new { amount = "25.00", paidOn = "2026-03-01", reference = "PAY-1" }),
        };
        payment.Headers.Add("Idempotency-Key", "pay-1");
        var paid = await agent.SendAsync(payment, Cancel);
        Assert.Equal(HttpStatusCode.Created, paid.StatusCode);
        var entryId = (await paid.JsonAsync()).GetProperty("entryId").GetInt64();

        var supervisor = await app.ClientAsAsync(Roles.Supervisor);
        var reversal = await supervisor.PostAsJsonAsync($"/api/v1/accounts/{accountId}/ledger/{entryId}/reversal", new { reason = "Bounced" }, Cancel);
        Assert.Equal(HttpStatusCode.Created, reversal.StatusCode);
    }

    private static LedgerEntry Copy(LedgerEntry entry, long? reversesEntryId = null, string? idempotencyKey = null) => new()
    {
        AccountId = entry.AccountId,
        Kind = entry.Kind,
        Principal = entry.Principal,
        Currency = entry.Currency,
        ValueDate = entry.ValueDate,
        PostedAt = entry.PostedAt,
        PostedBy = entry.PostedBy,
        ReversesEntryId = reversesEntryId,
        IdempotencyKey = idempotencyKey,
    };
}
