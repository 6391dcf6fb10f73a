using System.Net;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Pages;

/// <summary>The account page shows the compliance facts, and an agent records a dispute and its verification from it.</summary>
public sealed class ComplianceFactsPageTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // 15:30 UTC is 10:30 in New York.
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 15, 30);

    private static async Task<string> PageAsync(HttpClient client, string url) =>
        WebUtility.HtmlDecode(await (await client.GetAsync(url, Cancel)).Content.ReadAsStringAsync(Cancel));

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_page_shows_the_facts_and_an_agent_records_a_dispute_and_its_verification(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await PageSession.SeedAccountAsync(app);
        await app.WithDbAsync(async db =>
        {
            var account = await db.Accounts.SingleAsync(Cancel);
            account.LimitationDate = new LocalDate(2029, 1, 15);
            account.ValidationNoticeSentAt = Instant.FromUtc(2026, 2, 10, 14, 0);
            account.ValidationPeriodEnd = new LocalDate(2026, 3, 16);
            var debtor = await db.Debtors.Include(d => d.Contacts).SingleAsync(Cancel);
            debtor.LocationTimeZone = "America/Denver";
            debtor.InconvenientTimes.Add(new DebtorInconvenientTime { From = new LocalTime(22, 0), Until = new LocalTime(7, 0), Days = "sat,sun" });
            var phone = debtor.Contacts.Single(c => c.Kind == ContactKind.Phone);
            phone.Workplace = true;
            phone.EmployerProhibits = true;
            var email = debtor.Contacts.Single(c => c.Kind == ContactKind.Email);
            email.ConsentExpiresAt = Instant.FromUtc(2026, 6, 1, 4, 0);
            await db.SaveChangesAsync(Cancel);
        });
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);
        var auditor = await PageSession.SignedInAsync(app, Roles.Auditor);
        var url = $"/accounts/{accountId}";

        var page = await PageAsync(agent, url);

        Assert.Contains("15 Jan 2029", page, StringComparison.Ordinal);
        Assert.Contains("Tue 10 Feb 2026, 09:00 EST", page, StringComparison.Ordinal);
        Assert.Contains("period ends 16 Mar 2026", page, StringComparison.Ordinal);
        Assert.Contains("America/Denver", page, StringComparison.Ordinal);
        Assert.Contains("22:00–07:00 (overnight), Sat, Sun", page, StringComparison.Ordinal);
        Assert.Contains("Workplace", page, StringComparison.Ordinal);
        Assert.Contains("Employer prohibits contact", page, StringComparison.Ordinal);
        Assert.Contains("expires", page, StringComparison.Ordinal);
        Assert.Contains("No disputes recorded.", page, StringComparison.Ordinal);
        Assert.Contains("Record a dispute", page, StringComparison.Ordinal);

        var fields = new Dictionary<string, string> { ["receivedAt"] = "2026-03-02T09:00", ["written"] = "written", ["amount"] = "", ["note"] = "Says the bill was estimated" };
        var recorded = await PageSession.SubmitAsync(agent, url, "", new(fields), $"/accounts/{accountId}/disputes");
        var twice = await PageSession.SubmitAsync(agent, url, "", new(fields), $"/accounts/{accountId}/disputes");

        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);
        var after = await PageAsync(agent, recorded.Headers.Location!.ToString());
        Assert.Contains("Dispute recorded. The account is disputed.", after, StringComparison.Ordinal);
        Assert.Contains("Whole debt", after, StringComparison.Ordinal);
        Assert.Contains("Received in writing", after, StringComparison.Ordinal);
        Assert.Contains("Says the bill was estimated", after, StringComparison.Ordinal);
        Assert.Contains("already recorded", await PageAsync(agent, twice.Headers.Location!.ToString()), StringComparison.Ordinal);
        var disputeId = await app.WithDbAsync(db => db.Disputes.Select(d => d.Id).SingleAsync(Cancel));
        Assert.Equal(Instant.FromUtc(2026, 3, 2, 14, 0), await app.WithDbAsync(db => db.Disputes.Select(d => d.ReceivedAt).SingleAsync(Cancel)));

        var auditorPage = await PageAsync(auditor, url);
        var byAuditor = await PageSession.SubmitAsync(auditor, url, "", new() { ["sentAt"] = "2026-03-02T10:00" }, $"/accounts/{accountId}/disputes/{disputeId}/verification");
        Assert.Contains("Whole debt", auditorPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Record a dispute", auditorPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Record verification", auditorPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, byAuditor.StatusCode);

        var verified = await PageSession.SubmitAsync(agent, url, "", new() { ["sentAt"] = "2026-03-02T10:00", ["note"] = "Bill copy sent" },
            $"/accounts/{accountId}/disputes/{disputeId}/verification");

        Assert.Equal(HttpStatusCode.Redirect, verified.StatusCode);
        Assert.Contains("Verification recorded. The account is active.", await PageAsync(agent, verified.Headers.Location!.ToString()), StringComparison.Ordinal);
        Assert.Equal(AccountStatus.Active, await app.WithDbAsync(db => db.Accounts.Select(a => a.Status).SingleAsync(Cancel)));
        Assert.Equal(1, await app.WithDbAsync(db => db.Disputes.CountAsync(Cancel)));
    }
}
