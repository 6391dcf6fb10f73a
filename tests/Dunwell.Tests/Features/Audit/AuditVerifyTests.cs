using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dunwell.Data;
using Dunwell.Data.Chains;
using Dunwell.Domain.Accounts;
using Dunwell.Features.Audit;
using Dunwell.Features.Demo;
using Dunwell.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Npgsql;

namespace Dunwell.Tests.Features.Audit;

/// <summary>What an auditor sees from <c>GET /api/v1/audit/verify</c>: intact records, or the first broken link and what differs.</summary>
public sealed class AuditVerifyTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Auditors_and_admins_see_intact_chains_and_agents_may_not_ask(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 15, 0));
        await ChainTamperingTests.SeedAsync(app);

        var auditor = await (await app.ClientAsAsync(Roles.Auditor)).GetAsync("/api/v1/audit/verify", Cancel);
        var admin = await (await app.ClientAsAsync(Roles.Admin)).GetAsync("/api/v1/audit/verify", Cancel);
        var agent = await (await app.ClientAsAsync(Roles.Agent)).GetAsync("/api/v1/audit/verify", Cancel);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden), (auditor.StatusCode, admin.StatusCode, agent.StatusCode));
        var body = await auditor.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.True(body.GetProperty("intact").GetBoolean());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("firstBreak").ValueKind);
        Assert.True(body.GetProperty("rows").GetInt64() > 50);
        // The check is itself recorded, and its own audit event keeps the chains intact.
        Assert.True(await app.WithDbAsync(async db => (await AuditVerify.RunAsync(db, Cancel)).Intact));
        Assert.Equal(2, await app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditVerifyApi.Action, Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_changed_amount_is_named_by_table_id_and_kind_and_a_deleted_last_entry_by_its_head(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 15, 0));
        await ChainTamperingTests.SeedAsync(app);
        var auditor = await app.ClientAsAsync(Roles.Auditor);
        var (first, last) = await app.WithDbAsync(async db =>
        {
            var account = await db.Ledger.GroupBy(e => e.AccountId).Where(g => g.Count() >= 3).Select(g => g.Key).FirstAsync(Cancel);
            var ids = await db.Ledger.Where(e => e.AccountId == account).OrderBy(e => e.Id).Select(e => e.Id).ToListAsync(Cancel);
            return (ids[0], ids[^1]);
        });
        await using (var connection = await OpenAsync(database))
        {
            await ChainTamperingTests.DropTriggersAsync(connection, database.Provider);
            await ExecuteAsync(connection, $"UPDATE ledger_entries SET principal = principal - 100000 WHERE id = {first}");
        }

        var changed = await (await auditor.GetAsync("/api/v1/audit/verify", Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.False(changed.GetProperty("intact").GetBoolean());
        var broken = changed.GetProperty("firstBreak");
        Assert.Equal(("ledger_entries", first, BreakKinds.Content), (broken.GetProperty("table").GetString(), broken.GetProperty("id").GetInt64(), broken.GetProperty("kind").GetString()));

        await using (var connection = await OpenAsync(database))
        {
            await ExecuteAsync(connection, $"UPDATE ledger_entries SET principal = principal + 100000 WHERE id = {first}");
            await ExecuteAsync(connection, $"DELETE FROM payment_references WHERE ledger_entry_id = {last}");
            await ExecuteAsync(connection, $"DELETE FROM ledger_entries WHERE id = {last}");
        }

        var deleted = await (await auditor.GetAsync("/api/v1/audit/verify", Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel);

        var missing = deleted.GetProperty("firstBreak");
        Assert.Equal(("ledger_entries", BreakKinds.Missing), (missing.GetProperty("table").GetString(), missing.GetProperty("kind").GetString()));
        Assert.Contains("rows were deleted from its end", missing.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(RecordChain.LedgerChain(await app.WithDbAsync(db => db.Ledger.Where(e => e.Id == first).Select(e => e.AccountId).SingleAsync(Cancel))),
            missing.GetProperty("chain").GetString());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_demo_portfolio_verifies_clean(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 15, 30));
        await using (var scope = app.Services.CreateSystemScope())
        {
            await DemoPortfolio.SeedAsync(scope.ServiceProvider, 150, Cancel);
        }

        var report = await app.WithDbAsync(db => AuditVerify.RunAsync(db, Cancel));

        Assert.True(report.Intact, report.FirstBreak?.ToString());
        Assert.True(report.Rows > 300, $"only {report.Rows} rows");
    }

    private static async Task<DbConnection> OpenAsync(TestDatabase database)
    {
        DbConnection connection = database.Provider == "sqlite" ? new SqliteConnection(database.ConnectionString) : new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(Cancel);
        return connection;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, await command.ExecuteNonQueryAsync(Cancel));
    }
}
