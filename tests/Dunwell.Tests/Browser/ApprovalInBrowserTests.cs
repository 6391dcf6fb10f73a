using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Pages;
using Dunwell.Tests.Support;
using Microsoft.Playwright;
using NodaTime;

namespace Dunwell.Tests.Browser;

[Trait("Category", "Browser")]
public sealed class ApprovalInBrowserTests
{
    [Fact]
    public async Task An_agent_proposes_a_plan_beyond_their_authority_and_a_supervisor_approves_it_from_the_queue()
    {
        var launch = SystemChromium.LaunchOptions();
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 15, 30), onRealSocket: true);
        var accountId = await PageSession.SeedAccountAsync(app);
        await PageSession.AddUserAsync(app, "agent@browser.test", Roles.Agent);
        await PageSession.AddUserAsync(app, "supervisor@browser.test", Roles.Supervisor);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(launch);

        var agent = await SignedInPageAsync(browser, app, "agent@browser.test");
        await agent.GotoAsync($"/accounts/{accountId}");
        var plan = agent.Locator("#propose-plan");
        await plan.GetByLabel("First payment on").FillAsync("2026-03-09");
        await plan.GetByLabel("How often").SelectOptionAsync("monthly");
        await plan.GetByLabel("Number of payments").FillAsync("10");
        await plan.GetByRole(AriaRole.Button, new() { Name = "Propose the plan" }).ClickAsync();
        await Assertions.Expect(agent.Locator("#arrangement-message")).ToContainTextAsync("needs a supervisor's approval");
        await Assertions.Expect(agent.Locator("#arrangement-message")).ToContainTextAsync("10 months is beyond the 6 months an agent may agree");
        await SystemChromium.SnapAsync(agent, "approval-1-proposed");

        var supervisor = await SignedInPageAsync(browser, app, "supervisor@browser.test");
        await supervisor.GotoAsync("/approvals");
        await Assertions.Expect(supervisor.Locator("table")).ToContainTextAsync("10 months is beyond the 6 months");
        await supervisor.GetByLabel("Note (required to reject)").FillAsync("Steady income; agreed");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Assertions.Expect(supervisor.Locator("[role=status]")).ToContainTextAsync("Approved");
        await Assertions.Expect(supervisor.GetByText("Nothing is waiting for approval.")).ToBeVisibleAsync();

        await agent.GotoAsync($"/accounts/{accountId}");
        await Assertions.Expect(agent.Locator(".arrangements")).ToContainTextAsync("approved by user:supervisor@browser.test");
        await SystemChromium.SnapAsync(agent, "approval-2-approved");
    }

    private static async Task<IPage> SignedInPageAsync(IBrowser browser, TestApp app, string email)
    {
        var context = await browser.NewContextAsync(new() { BaseURL = app.ServerAddress, ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(60_000); // a cold Chromium on a busy 2-core machine can take a while
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(PageSession.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Signed in once the address leaves the sign-in page: this polls the address alone, where waiting for the URL and
        // then the load event once hung until the timeout on a loaded machine although the page had loaded.
        await Assertions.Expect(page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
        return page;
    }
}
