using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Pages;
using Dunwell.Tests.Support;
using Microsoft.Playwright;
using NodaTime;

namespace Dunwell.Tests.Browser;

[Trait("Category", "Browser")]
public sealed class AccountInBrowserTests
{
    [Fact]
    public async Task An_agent_signs_in_finds_an_account_records_a_call_and_a_payment_and_sees_both()
    {
        var launch = SystemChromium.LaunchOptions();
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 15, 30), onRealSocket: true);
        var accountId = await PageSession.SeedAccountAsync(app);
        await PageSession.SeedAccountAsync(app, "NWU-100002", "Dana Whitley", principal: 48_000, fees: 0);
        await PageSession.AddUserAsync(app, "agent@browser.test", Roles.Agent);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(launch);
        var page = await browser.NewPageAsync(new() { BaseURL = app.ServerAddress, ViewportSize = new() { Width = 1280, Height = 900 } });

        // Signing in from a deep link comes back to it.
        await page.GotoAsync("/accounts");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin\\?ReturnUrl="));
        await SystemChromium.SnapAsync(page, "1-signin");
        await page.GetByLabel("Email").FillAsync("agent@browser.test");
        await page.GetByLabel("Password").FillAsync(PageSession.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Accounts", Exact = true })).ToBeVisibleAsync();

        // Typing searches through htmx: only the results change, and the address bar can be shared.
        await page.GetByLabel("Search accounts").FillAsync("dana whit");
        var results = page.Locator("#results");
        await Assertions.Expect(results).ToContainTextAsync("Dana Whitley");
        await Assertions.Expect(results).ToContainTextAsync("Dana Whitfield");
        await page.GetByLabel("Search accounts").FillAsync("dana whitf");
        await Assertions.Expect(results).Not.ToContainTextAsync("Dana Whitley");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/accounts\\?q=dana%20whitf$"));
        await SystemChromium.SnapAsync(page, "2-search");

        await page.GetByRole(AriaRole.Link, new() { Name = "NWU-100001" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dana Whitfield" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#balance-total")).ToHaveTextAsync("$1,225.00");

        // A call with its outcome and notes lands on the timeline.
        await page.GetByLabel("Outcome").SelectOptionAsync(new SelectOptionValue { Label = "Promise to pay" });
        await page.GetByLabel("A conversation took place").CheckAsync();
        await page.GetByLabel("Notes", new() { Exact = true }).FillAsync("Promised $100 on Friday; recap sent.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record interaction" }).ClickAsync();
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("Call recorded: promise to pay.");
        await Assertions.Expect(page.Locator("#timeline li").First).ToContainTextAsync("Promised $100 on Friday; recap sent.");
        await Assertions.Expect(page.Locator("#timeline li").First).ToContainTextAsync("Mon 2 Mar 2026, 10:30 EST");

        // A payment reduces the balance; the ledger shows it.
        await page.GetByLabel("Amount").FillAsync("100.00");
        await page.GetByLabel("Method").SelectOptionAsync(new SelectOptionValue { Label = "Bank transfer" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Record payment" }).ClickAsync();
        await Assertions.Expect(page.Locator("#confirmation")).ToContainTextAsync("Payment of $100.00 recorded. The balance is now $1,125.00.");
        await Assertions.Expect(page.Locator("#balance-total")).ToHaveTextAsync("$1,125.00");
        await Assertions.Expect(page.Locator("#ledger")).ToContainTextAsync("Bank transfer");
        await SystemChromium.SnapAsync(page, "3-account");

        // The same page at a phone's width.
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync($"/accounts/{accountId}");
        await SystemChromium.SnapAsync(page, "4-account-phone");
    }
}
