using System.Text.RegularExpressions;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Arrangements;
using Dunwell.Features.CreditorPolicies;
using Dunwell.Tests.Features.Pages;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using NodaTime;

namespace Dunwell.Tests.Browser;

/// <summary>The account page's traps (issue 10, items 13 to 17, and 20), as an agent meets them in a browser.</summary>
[Trait("Category", "Browser")]
public sealed partial class AccountTrapsInBrowserTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_agent_takes_an_offer_sees_a_refusal_in_red_proposes_a_lump_sum_and_confirms_a_cease()
    {
        var launch = SystemChromium.LaunchOptions();
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 15, 30), onRealSocket: true);
        var accountId = await PageSession.SeedAccountAsync(app);
        await app.WithDbAsync(async db =>
        {
            var creditorId = await db.Creditors.Select(c => c.Id).SingleAsync(Cancel);
            await PolicyStore.SaveAsync(db, creditorId,
                CreditorPolicy.Default with { Settlement = new SettlementRules(true, [new DiscountBand(0, 2_000)], [], 30) }, "admin", app.Now, Cancel);
            await db.SaveChangesAsync(Cancel);
        });
        await PageSession.AddUserAsync(app, "agent@browser.test", Roles.Agent);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(launch);
        var page = await browser.NewPageAsync(new() { BaseURL = app.ServerAddress, ViewportSize = new() { Width = 1280, Height = 900 } });
        await page.GotoAsync("/accounts");
        await page.GetByLabel("Email").FillAsync("agent@browser.test");
        await page.GetByLabel("Password").FillAsync(PageSession.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Accounts", Exact = true })).ToBeVisibleAsync();

        // 13: words in a link are never shown as Dunwell's own.
        const string Words = "Your%20account%20is%20suspended.%20Call%20555-0100";
        await page.GotoAsync($"/accounts/{accountId}?arrangement={Words}&dispute={Words}&facts={Words}&charges={Words}&done={Words}&id=1");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dana Whitfield" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("suspended")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveCountAsync(0);

        // 17: the six-month plan is within the agent's authority, and its button fills the plan form.
        var sixMonths = page.Locator("#offers li").Filter(new() { HasTextRegex = SixMonthly() });
        await Assertions.Expect(sixMonths).ToContainTextAsync("within your authority");
        await Assertions.Expect(page.Locator("#offers li").Filter(new() { HasTextRegex = TwelveMonthly() })).ToContainTextAsync("needs a supervisor's approval");
        await sixMonths.GetByRole(AriaRole.Link, new() { NameRegex = UseTheseTerms() }).ClickAsync();
        await Assertions.Expect(page.Locator("#plan-count")).ToHaveValueAsync("6");
        await Assertions.Expect(page.Locator("#plan-frequency")).ToHaveValueAsync("monthly");

        // 14: a refusal is red, announced, beside its form, and keeps what was typed.
        await page.Locator("#plan-count").FillAsync("300");
        await page.GetByRole(AriaRole.Button, new() { Name = "Propose the plan" }).ClickAsync();
        var refusal = page.Locator("#propose-plan-error");
        await Assertions.Expect(refusal).ToHaveAttributeAsync("role", "alert");
        await Assertions.Expect(refusal).ToHaveClassAsync(NoticeError());
        await Assertions.Expect(refusal).ToContainTextAsync("Not proposed:");
        await Assertions.Expect(page.Locator("#plan-count")).ToHaveValueAsync("300");
        await Assertions.Expect(page.Locator(".notice-ok")).ToHaveCountAsync(0);
        await SystemChromium.SnapAsync(page, "traps-1-refused");

        // 16: a lump-sum settlement from its own form: no number of payments is sent.
        await page.GotoAsync($"/accounts/{accountId}");
        await page.Locator("#settlement-total").FillAsync("1110.00");
        await page.Locator("#settlement-on").FillAsync("2026-03-20");
        await page.GetByRole(AriaRole.Button, new() { Name = "Propose the settlement" }).ClickAsync();
        await Assertions.Expect(page.Locator("#arrangement-message")).ToContainTextAsync("Agreed: Settlement of $1,110.00 (writing off $115.00) by 20 March 2026.");
        Assert.Equal(1, await app.WithDbAsync(db => db.ArrangementInstalments().CountAsync(Cancel)));

        // 15: nothing is chosen; a cease asks first and says what it stops.
        await page.GetByText("Record a flag (cease").ClickAsync();
        await Assertions.Expect(page.Locator("#flag-kind")).ToHaveValueAsync("");
        await page.Locator("#flag-kind").SelectOptionAsync(new SelectOptionValue { Label = "Cease communication" });
        await page.Locator("#flag-note").FillAsync("Letter of 1 March");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record flag" }).ClickAsync();
        await Assertions.Expect(page.Locator("#flag-question")).ToContainTextAsync("stops every call, text, email and letter");
        await Assertions.Expect(page.Locator("#flag-note")).ToHaveValueAsync("Letter of 1 March");
        Assert.Equal(0, await app.WithDbAsync(db => db.DebtorFlags.CountAsync(Cancel)));
        await SystemChromium.SnapAsync(page, "traps-2-cease-question");
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, record it" }).ClickAsync();
        await Assertions.Expect(page.Locator("#facts-message")).ToContainTextAsync("Flag recorded: Cease communication since 2 Mar 2026.");
        Assert.Equal(DebtorFlagKind.CeaseCommunication, await app.WithDbAsync(db => db.DebtorFlags.Select(f => f.Kind).SingleAsync(Cancel)));

        // 20: a mistyped address is a page, not JSON.
        var missing = await page.GotoAsync("/accounts/nothing/here");
        Assert.Equal(404, missing!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
    }

    [GeneratedRegex(" 6 monthly payments")]
    private static partial Regex SixMonthly();

    [GeneratedRegex(" 12 monthly payments")]
    private static partial Regex TwelveMonthly();

    [GeneratedRegex("^Use these terms")]
    private static partial Regex UseTheseTerms();

    [GeneratedRegex("notice-error")]
    private static partial Regex NoticeError();
}

internal static class ArrangementQueries
{
    public static IQueryable<Dunwell.Data.ArrangementInstalment> ArrangementInstalments(this Dunwell.Data.DunwellDb db) => db.Set<Dunwell.Data.ArrangementInstalment>();
}
