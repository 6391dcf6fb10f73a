using System.Net;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Ledger;
using Dunwell.Tests.Support;
using Dunwell.Web;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Pages;

public sealed class PageTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 15, 30);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_wrong_password_is_refused_with_a_clear_message_and_no_session(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await PageSession.AddUserAsync(app, "dana@pages.test", Roles.Agent);
        var client = PageSession.NewClient(app);

        var response = await PageSession.SubmitAsync(client, "/signin", "signin",
            new() { ["Input.Email"] = "dana@pages.test", ["Input.Password"] = "not-the-password" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("That email and password do not match an account", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/accounts", Cancel)).StatusCode);
        var audit = await app.WithDbAsync(db => db.AuditEvents.SingleAsync(e => e.Action == AuditLog.Actions.SignIn, Cancel));
        Assert.Equal(("anonymous", "user:dana@pages.test", "wrong email or password"), (audit.Actor, audit.Subject, audit.Detail));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_visit_without_a_session_goes_to_sign_in_and_comes_back_afterwards_but_only_to_this_site(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await PageSession.AddUserAsync(app, "dana@pages.test", Roles.Agent);
        var client = PageSession.NewClient(app);

        var visit = await client.GetAsync("/accounts?q=dana", Cancel);
        var signIn = await PageSession.SubmitAsync(client, visit.Headers.Location!.PathAndQuery, "signin",
            new() { ["Input.Email"] = "dana@pages.test", ["Input.Password"] = PageSession.Password });
        var elsewhere = await PageSession.SubmitAsync(PageSession.NewClient(app), "/signin?ReturnUrl=%2F%2Fevil.example%2F", "signin",
            new() { ["Input.Email"] = "dana@pages.test", ["Input.Password"] = PageSession.Password });

        Assert.Equal(HttpStatusCode.Redirect, visit.StatusCode);
        Assert.Equal("/signin", visit.Headers.Location.AbsolutePath);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/accounts?q=dana", signIn.Headers.Location!.PathAndQuery);
        Assert.Equal("/", elsewhere.Headers.Location!.PathAndQuery);
        Assert.Equal("localhost", elsewhere.Headers.Location.Host);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/accounts?q=dana", Cancel)).StatusCode);
        Assert.Equal(2, await app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditLog.Actions.SignIn && e.Detail == "succeeded", Cancel)));

        var signOut = await PageSession.SubmitAsync(client, "/accounts", "signout", [], postUrl: "/signout");
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/accounts", Cancel)).StatusCode);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_auditor_sees_the_account_without_the_forms_and_a_direct_payment_post_is_refused(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await PageSession.SeedAccountAsync(app);
        var auditor = await PageSession.SignedInAsync(app, Roles.Auditor);

        var page = await auditor.GetAsync($"/accounts/{accountId}", Cancel);
        var html = await page.Content.ReadAsStringAsync(Cancel);
        var post = await PageSession.SubmitAsync(auditor, $"/accounts/{accountId}", "payment",
            new() { ["Payment.Amount"] = "50.00", ["Payment.PaidOn"] = "2026-03-02", ["Payment.IdempotencyKey"] = $"ui:{Guid.NewGuid():N}" },
            postUrl: $"/accounts/{accountId}/record");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("$1,225.00", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Record a payment", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Record an interaction", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(1, await app.WithDbAsync(db => db.Ledger.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_payment_with_a_bad_amount_is_shown_again_with_the_message_and_nothing_is_posted(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await PageSession.SeedAccountAsync(app);
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);

        var response = await PageSession.SubmitAsync(agent, $"/accounts/{accountId}", "payment",
            new() { ["Payment.Amount"] = "12.345", ["Payment.PaidOn"] = "2026-03-02", ["Payment.Method"] = "card", ["Payment.IdempotencyKey"] = $"ui:{Guid.NewGuid():N}" },
            postUrl: $"/accounts/{accountId}/record");
        var html = await response.Content.ReadAsStringAsync(Cancel);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Amount has more than 2 decimal places.", html, StringComparison.Ordinal);
        Assert.Contains("value=\"12.345\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"p-amount-error\"", html, StringComparison.Ordinal);
        Assert.Contains("<div class=\"notice notice-error\" role=\"alert\" id=\"payment-error\">", html, StringComparison.Ordinal);
        Assert.Equal(1, await app.WithDbAsync(db => db.Ledger.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_good_payment_posts_one_ledger_row_once_even_when_the_form_is_sent_twice(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await PageSession.SeedAccountAsync(app);
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);
        var form = await (await agent.GetAsync($"/accounts/{accountId}", Cancel)).Content.ReadAsStringAsync(Cancel);
        var key = PageSession.HiddenValue(form, "Payment.IdempotencyKey");
        Dictionary<string, string> Payment() => new()
        {
            ["Payment.Amount"] = "50.00",
            ["Payment.PaidOn"] = "2026-03-01",
            ["Payment.Method"] = "bank_transfer",
            ["Payment.Reference"] = "BT-778",
            ["Payment.IdempotencyKey"] = key,
        };

        var first = await PageSession.SubmitAsync(agent, $"/accounts/{accountId}", "payment", Payment(), postUrl: $"/accounts/{accountId}/record");
        var landing = await agent.GetAsync(first.Headers.Location, Cancel);
        var again = await PageSession.SubmitAsync(agent, $"/accounts/{accountId}", "payment", Payment(), postUrl: $"/accounts/{accountId}/record");

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.StartsWith($"/accounts/{accountId}?done=payment&id=", first.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Contains("Payment of $50.00 recorded. The balance is now $1,175.00.", await landing.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.EndsWith("&again=1", again.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        var payment = await app.WithDbAsync(db => db.Ledger.SingleAsync(e => e.Kind == LedgerEntryKind.Payment, Cancel));
        Assert.Equal((-2_500L, 0L, -2_500L, key, "user:agent@pages.test"), (payment.Principal, payment.Interest, payment.Fees, payment.IdempotencyKey, payment.PostedBy));
        Assert.Equal(new LocalDate(2026, 3, 1), payment.ValueDate);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_call_recorded_on_the_page_is_on_the_timeline_in_the_creditors_time(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await PageSession.SeedAccountAsync(app);
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);

        var response = await PageSession.SubmitAsync(agent, $"/accounts/{accountId}", "interaction", new()
        {
            ["Interaction.Channel"] = "Call",
            ["Interaction.Direction"] = "Outbound",
            ["Interaction.Outcome"] = "Promise",
            ["Interaction.Conversation"] = "true",
            ["Interaction.OccurredAt"] = "2026-03-02T10:05",
            ["Interaction.Notes"] = "Will pay $100 on Friday.",
        }, postUrl: $"/accounts/{accountId}/record");
        var page = await (await agent.GetAsync(response.Headers.Location, Cancel)).Content.ReadAsStringAsync(Cancel);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Call recorded: promise to pay.", page, StringComparison.Ordinal);
        Assert.Contains("Mon 2 Mar 2026, 10:05 EST", page, StringComparison.Ordinal);
        var saved = await app.WithDbAsync(db => db.Interactions.SingleAsync(Cancel));
        Assert.Equal(Instant.FromUtc(2026, 3, 2, 15, 5), saved.OccurredAt);
        Assert.Equal((OutcomeCode.Promise, true, "user:agent@pages.test"), (saved.Outcome, saved.Conversation, saved.Author));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Viewing_an_account_and_searching_are_recorded_in_the_audit_trail(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await PageSession.SeedAccountAsync(app);
        var supervisor = await PageSession.SignedInAsync(app, Roles.Supervisor);

        var search = await supervisor.GetAsync("/accounts?q=dana", Cancel);
        var nothing = await supervisor.GetAsync("/accounts?q=nobody-by-that-name", Cancel);
        var view = await supervisor.GetAsync($"/accounts/{accountId}", Cancel);

        Assert.Contains("NWU-100001", await search.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Contains("No accounts match", await nothing.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, view.StatusCode);
        var events = await app.WithDbAsync(db => db.AuditEvents.Where(e => e.Action != AuditLog.Actions.SignIn && e.Action != AuditLog.Actions.UserCreate)
            .OrderBy(e => e.Id).Select(e => new { e.Actor, e.Action, e.Subject, e.At }).ToListAsync(Cancel));
        var debtorId = await app.WithDbAsync(db => db.Accounts.Where(a => a.Id == accountId).Select(a => a.DebtorId).SingleAsync(Cancel));
        Assert.Equal(3, events.Count);
        Assert.Equal(("user:supervisor@pages.test", AuditLog.Actions.AccountSearch, $"debtor:{debtorId}"), (events[0].Actor, events[0].Action, events[0].Subject));
        Assert.Equal(("user:supervisor@pages.test", AuditLog.Actions.DebtorRead, $"debtor:{debtorId}", Now), (events[1].Actor, events[1].Action, events[1].Subject, events[1].At));
        Assert.Equal(("user:supervisor@pages.test", AuditLog.Actions.AccountRead, $"account:{accountId}", Now), (events[2].Actor, events[2].Action, events[2].Subject, events[2].At));
    }
}
