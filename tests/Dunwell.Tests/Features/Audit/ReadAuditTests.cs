using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Audit;

/// <summary>Every API read of a debtor's personal data leaves an audit event: who, what, about whom, when.</summary>
public sealed class ReadAuditTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Reading_a_debtor_an_account_a_search_or_a_timeline_is_audited_with_actor_action_and_subject(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var now = Instant.FromUtc(2026, 3, 2, 15, 0);
        await using var app = await TestApp.StartAsync(database, now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (debtorId, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var auditor = await app.ClientAsAsync(Roles.Auditor);
        var keyName = await app.WithDbAsync(db => db.ApiKeys.Where(k => k.Role == Roles.Auditor).Select(k => k.Name).SingleAsync(Cancel));
        var before = await app.WithDbAsync(db => db.AuditEvents.Select(e => e.Id).MaxAsync(Cancel));

        (await auditor.GetAsync($"/api/v1/debtors/{debtorId}", Cancel)).EnsureSuccessStatusCode();
        (await auditor.GetAsync($"/api/v1/accounts/{accountId}", Cancel)).EnsureSuccessStatusCode();
        (await auditor.GetAsync("/api/v1/accounts?q=jane", Cancel)).EnsureSuccessStatusCode();
        (await auditor.GetAsync($"/api/v1/accounts/{accountId}/interactions", Cancel)).EnsureSuccessStatusCode();

        var events = await app.WithDbAsync(db => db.AuditEvents.Where(e => e.Id > before).OrderBy(e => e.Id).ToListAsync(Cancel));
        Assert.All(events, e => Assert.Equal($"apikey:{keyName}", e.Actor));
        Assert.All(events, e => Assert.Equal(now, e.At));
        Assert.Equal(
            [
                ("debtor.read", $"debtor:{debtorId}"),
                ("account.read", $"account:{accountId}"),
                ("debtor.read", $"debtor:{debtorId}"),
                ("account.search", $"debtor:{debtorId}"),
                ("interaction.read", $"debtor:{debtorId}"),
            ],
            events.Select(e => (e.Action, e.Subject)));
        Assert.Equal("q=jane", events[3].Detail);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Writes_are_audited_too(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 15, 0));
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (debtorId, accountId) = await RecordsSeed.AccountAsync(app, agent);

        var events = await app.WithDbAsync(db => db.AuditEvents.OrderBy(e => e.Id).Select(e => new { e.Action, e.Subject, e.Detail }).ToListAsync(Cancel));

        Assert.Equal([("debtor.create", $"debtor:{debtorId}"), ("account.create", $"account:{accountId}")], events.Select(e => (e.Action, e.Subject)));
        Assert.Equal($"$612.40 for debtor:{debtorId}", events[1].Detail);
    }
}
