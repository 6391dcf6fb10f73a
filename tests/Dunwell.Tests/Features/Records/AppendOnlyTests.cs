using System.Net.Http.Json;
using Dunwell.Data;
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
    public async Task The_database_refuses_raw_updates_and_deletes_of_ledger_entries_and_interactions(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await StartWithRecordsAsync(database);

        string[] statements =
        [
            "UPDATE ledger_entries SET principal = 0",
            "DELETE FROM ledger_entries",
            "UPDATE interactions SET notes = 'rewritten'",
            "DELETE FROM interactions",
            "UPDATE audit_events SET actor = 'someone else'",
            "DELETE FROM audit_events",
            .. provider == "postgres" ? new[] { "TRUNCATE ledger_entries CASCADE", "TRUNCATE audit_events" } : [],
        ];
        foreach (var sql in statements)
        {
            var refused = await app.WithDbAsync(async db =>
                await Record.ExceptionAsync(() => db.Database.ExecuteSqlRawAsync(sql, Cancel)));
            Assert.NotNull(refused);
            Assert.Contains("append-only", refused.Message, StringComparison.Ordinal);
        }

        Assert.Equal(50_000, await app.WithDbAsync(db => db.Ledger.Select(e => e.Principal).SingleAsync(Cancel)));
        Assert.Equal("Called back", await app.WithDbAsync(db => db.Interactions.Select(i => i.Notes).SingleAsync(Cancel)));
        Assert.True(await app.WithDbAsync(db => db.AuditEvents.AnyAsync(Cancel)));
    }
}
