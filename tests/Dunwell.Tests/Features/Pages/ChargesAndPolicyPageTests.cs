using System.Net;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Ledger;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Pages;

public sealed class ChargesAndPolicyPageTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_admin_edits_the_policy_and_an_agent_sees_the_charges_itemised_and_waives_fees_from_the_account_page(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 15, 0));
        var accountId = await PageSession.SeedAccountAsync(app);
        var admin = await PageSession.SignedInAsync(app, Roles.Admin);
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);
        const string withFees = """
            "fees": [{"id": "late-fee", "kind": "fixedLateFee", "afterDaysPastDue": 30, "amountMinor": 2500, "from": "2026-01-01"}],
            """;

        var editor = await (await admin.GetAsync("/admin/creditors/NWU/policy", Cancel)).Content.ReadAsStringAsync(Cancel);
        var draft = WebUtility.HtmlDecode(PageSession.TextAreaValue(editor, "Draft"));
        var broken = await PageSession.SubmitAsync(admin, "/admin/creditors/NWU/policy", "policy",
            new() { ["Draft"] = draft.Replace("\"maxMonths\": 12", "\"maxMonths\": 0", StringComparison.Ordinal) });
        var saved = await PageSession.SubmitAsync(admin, "/admin/creditors/NWU/policy", "policy",
            new() { ["Draft"] = draft.Replace("\"fees\": [],", withFees, StringComparison.Ordinal) });
        var forAgent = await agent.GetAsync("/admin/creditors/NWU/policy", Cancel);
        await app.WithDbAsync(db => Dunwell.Features.Charges.PostCharges.RunAsync(db, new LocalDate(2026, 3, 2), null, "test", app.Now, Cancel));
        var page = await (await agent.GetAsync($"/accounts/{accountId}", Cancel)).Content.ReadAsStringAsync(Cancel);
        var waived = await PageSession.SubmitAsync(agent, $"/accounts/{accountId}", "", new() { ["kind"] = "feeWaiver", ["waive"] = "25.00", ["note"] = "Goodwill" },
            $"/accounts/{accountId}/arrangements");
        var after = await (await agent.GetAsync(waived.Headers.Location!.ToString(), Cancel)).Content.ReadAsStringAsync(Cancel);

        Assert.Contains("plan.maxMonths", await broken.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Contains("Saved as version 1.", await saved.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(1, await app.WithDbAsync(db => db.PolicyVersions.CountAsync(Cancel)));
        Assert.NotEqual(HttpStatusCode.OK, forAgent.StatusCode);
        Assert.Contains("Fees and interest", page, StringComparison.Ordinal);
        Assert.Contains("Late fee of $25.00, charged 30 days after the due date.", page, StringComparison.Ordinal);
        Assert.Contains("Waive fees and interest", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, waived.StatusCode);
        Assert.Contains("Waived: ", after, StringComparison.Ordinal);
        Assert.Equal(-2_500, await app.WithDbAsync(db => db.Ledger.Where(e => e.Kind == LedgerEntryKind.Waiver).SumAsync(e => e.Fees, Cancel)));
    }
}
