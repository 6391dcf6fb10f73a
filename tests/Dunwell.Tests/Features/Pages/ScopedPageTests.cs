using System.Net;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Support;
using NodaTime;

namespace Dunwell.Tests.Features.Pages;

/// <summary>Issue 9, finding 1 on the pages: a person acting for one creditor never sees another creditor's customers.</summary>
public sealed class ScopedPageTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 14, 0);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_person_for_another_creditor_finds_nothing_and_the_account_page_is_not_found(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await PageSession.SeedAccountAsync(app);
        await app.WithDbAsync(async db =>
        {
            db.Creditors.Add(new Creditor { Reference = "ALB", Name = "Albany Dental", JurisdictionPack = "US-FDCPA", TimeZone = "America/New_York" });
            await db.SaveChangesAsync(Cancel);
        });
        var own = await PageSession.SignedInAsync(app, Roles.Agent, "NWU");
        var other = await PageSession.SignedInAsync(app, Roles.Agent, "ALB");

        var ownSearch = await (await own.GetAsync("/accounts?q=dana", Cancel)).Content.ReadAsStringAsync(Cancel);
        var otherSearch = await (await other.GetAsync("/accounts?q=dana", Cancel)).Content.ReadAsStringAsync(Cancel);
        var otherPage = await other.GetAsync($"/accounts/{accountId}", Cancel);
        var otherHtml = await otherPage.Content.ReadAsStringAsync(Cancel);

        Assert.Contains("Dana Whitfield", ownSearch, StringComparison.Ordinal);
        Assert.DoesNotContain("Dana Whitfield", otherSearch, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, otherPage.StatusCode);
        Assert.DoesNotContain("Dana Whitfield", otherHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("NWU-100001", otherHtml, StringComparison.Ordinal);
    }
}
