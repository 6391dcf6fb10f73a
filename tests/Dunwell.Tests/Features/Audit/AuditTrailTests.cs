using System.Net;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Pages;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Audit;

/// <summary>The audit trail is readable by auditors and admins acting for every creditor, filtered and paged, and reading it is recorded.</summary>
public sealed class AuditTrailTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_auditor_reads_who_saw_a_debtor_filtered_by_subject_actor_action_and_time_one_page_at_a_time(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 15, 0));
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (debtorId, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var agentName = await app.WithDbAsync(db => db.ApiKeys.Where(k => k.Role == Roles.Agent).Select(k => k.Name).SingleAsync(Cancel));
        app.Clock.Advance(TimeSpan.FromHours(1));
        (await agent.GetAsync($"/api/v1/accounts/{accountId}", Cancel)).EnsureSuccessStatusCode();
        app.Clock.Advance(TimeSpan.FromHours(1));
        (await agent.GetAsync($"/api/v1/debtors/{debtorId}", Cancel)).EnsureSuccessStatusCode();
        var auditor = await app.ClientAsAsync(Roles.Auditor);

        var seen = await (await auditor.GetAsync($"/api/v1/audit?subject=debtor:{debtorId}&action=debtor.read", Cancel)).JsonAsync();
        var items = seen.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Equal($"apikey:{agentName}", i.GetProperty("actor").GetString()));
        Assert.Equal("2026-03-02T17:00:00+00:00", items[0].GetProperty("at").GetString()); // newest first

        var since = await (await auditor.GetAsync($"/api/v1/audit?actor=apikey:{agentName}&from=2026-03-02T16:30:00Z&to=2026-03-02T18:30:00%2B01:00", Cancel)).JsonAsync();
        Assert.Equal(["debtor.read"], since.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()));

        var first = await (await auditor.GetAsync($"/api/v1/audit?subject=debtor:{debtorId}&pageSize=1", Cancel)).JsonAsync();
        Assert.True(first.GetProperty("hasMore").GetBoolean());
        var next = first.GetProperty("next").GetString()!;
        var second = await (await auditor.GetAsync(next, Cancel)).JsonAsync();
        Assert.Equal(2, second.GetProperty("page").GetInt32());
        Assert.NotEqual(first.GetProperty("items")[0].GetProperty("id").GetInt64(), second.GetProperty("items")[0].GetProperty("id").GetInt64());

        var auditorName = await app.WithDbAsync(db => db.ApiKeys.Where(k => k.Role == Roles.Auditor).Select(k => k.Name).SingleAsync(Cancel));
        Assert.Equal(4, await app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == "audit.read" && e.Actor == $"apikey:{auditorName}" && e.Subject == "audit", Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Bad_filters_are_refused_naming_the_field_and_only_auditors_and_admins_for_every_creditor_may_read(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 15, 0));
        await RecordsSeed.CreditorAsync(app);
        var auditor = await app.ClientAsAsync(Roles.Auditor);

        foreach (var (query, field) in new[] { ("pageSize=201", "pageSize"), ("page=0", "page"), ("page=2147483647", "page"), ("from=2026-03-02T12:00:00", "from"), ("to=0001-01-01T00:00:00Z", "to"), ("from=2026-03-02T12:00:00Z&to=2026-03-01T12:00:00Z", "to") })
        {
            var response = await auditor.GetAsync($"/api/v1/audit?{query}", Cancel);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(field, (await response.JsonAsync()).ErrorFields());
        }

        Assert.Equal(HttpStatusCode.OK, (await (await app.ClientAsAsync(Roles.Admin)).GetAsync("/api/v1/audit", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ClientAsAsync(Roles.Agent)).GetAsync("/api/v1/audit", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ClientAsAsync(Roles.Supervisor)).GetAsync("/api/v1/audit", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ClientAsAsync(Roles.Auditor, "ACME")).GetAsync("/api/v1/audit", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/v1/audit", Cancel)).StatusCode);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_audit_page_shows_the_same_filtered_trail_and_records_its_own_reading(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 15, 0));
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (debtorId, accountId) = await RecordsSeed.AccountAsync(app, agent);
        (await agent.GetAsync($"/api/v1/accounts/{accountId}", Cancel)).EnsureSuccessStatusCode();
        var pages = await PageSession.SignedInAsync(app, Roles.Auditor);

        var page = await pages.GetAsync($"/audit?subject=debtor:{debtorId}&action=debtor.read", Cancel);
        var html = await page.Content.ReadAsStringAsync(Cancel);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"debtor:{debtorId}", html, StringComparison.Ordinal);
        Assert.DoesNotContain("account.create", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await pages.GetAsync("/audit?from=yesterday", Cancel)).StatusCode);
        Assert.True(await app.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "audit.read" && e.Actor == "user:auditor@pages.test", Cancel)));
    }
}
