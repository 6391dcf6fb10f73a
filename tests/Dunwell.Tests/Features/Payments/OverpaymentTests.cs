using System.Net;
using System.Net.Http.Json;
using Dunwell.Domain.Ledger;
using Dunwell.Tests.Features.Pages;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Dunwell.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using static Dunwell.Tests.Features.Imports.ImportKit;

namespace Dunwell.Tests.Features.Payments;

/// <summary>A payment larger than the balance is refused unless the caller says it is an overpayment; a credit then shows as one.</summary>
public sealed class OverpaymentTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 15, 0);

    private static HttpRequestMessage Post(long accountId, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{accountId}/payments") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private static Task<int> PaymentRowsAsync(TestApp app) =>
        app.WithDbAsync(db => db.Ledger.CountAsync(e => e.Kind == LedgerEntryKind.Payment, Cancel));

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_payment_larger_than_the_balance_is_refused_naming_the_amount_and_the_balance(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);

        var refused = await agent.SendAsync(Post(accountId, new { amount = "700.00", paidOn = "2026-03-01" }, "over-1"), Cancel);
        var saidNo = await agent.SendAsync(Post(accountId, new { amount = "700.00", paidOn = "2026-03-01", overpayment = false }, "over-2"), Cancel);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problem = await refused.JsonAsync();
        Assert.Equal(["amount"], problem.ErrorFields());
        var message = problem.GetProperty("errors").GetProperty("amount")[0].GetString();
        Assert.Contains("The payment of $700.00 is more than the balance of $612.40", message, StringComparison.Ordinal);
        Assert.Contains("\"overpayment\": true", message, StringComparison.Ordinal);
        Assert.Equal("612.40", problem.GetProperty("balance").GetProperty("amount").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, saidNo.StatusCode);
        Assert.Equal(0, await PaymentRowsAsync(app));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_overpayment_said_so_is_posted_and_the_account_shows_its_credit_everywhere(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var (_, owingId) = await RecordsSeed.AccountAsync(app, agent, "ACC-2", "D-2");

        var posted = await agent.SendAsync(Post(accountId, new { amount = "700.00", paidOn = "2026-03-01", overpayment = true }, "over-1"), Cancel);
        var exact = await agent.SendAsync(Post(owingId, new { amount = "612.40", paidOn = "2026-03-01" }, "exact-1"), Cancel);

        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var paid = await posted.JsonAsync();
        Assert.Equal("-87.60", paid.GetProperty("balance").GetProperty("total").GetString());
        Assert.Equal("""{"currency":"USD","amount":"87.60"}""", paid.GetProperty("creditBalance").GetRawText());
        Assert.Equal(HttpStatusCode.Created, exact.StatusCode);

        var account = await (await agent.GetAsync($"/api/v1/accounts/{accountId}", Cancel)).JsonAsync();
        Assert.Equal("""{"currency":"USD","amount":"87.60"}""", account.GetProperty("creditBalance").GetRawText());
        var settled = await (await agent.GetAsync($"/api/v1/accounts/{owingId}", Cancel)).JsonAsync();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, settled.GetProperty("creditBalance").ValueKind);

        var found = await (await agent.GetAsync("/api/v1/accounts?q=ACC", Cancel)).JsonAsync();
        var items = found.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("reference").GetString()!);
        Assert.Equal("87.60", items["ACC-1"].GetProperty("creditBalance").GetProperty("amount").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, items["ACC-2"].GetProperty("creditBalance").ValueKind);

        var user = await PageSession.SignedInAsync(app, Roles.Agent);
        var page = await (await user.GetAsync($"/accounts/{accountId}", Cancel)).Content.ReadAsStringAsync(Cancel);
        Assert.Contains("In credit: $87.60", page, StringComparison.Ordinal);
        Assert.DoesNotContain("not yet overdue", page, StringComparison.Ordinal);
        Assert.DoesNotContain(">Paid<", page, StringComparison.Ordinal);
        var results = await (await user.GetAsync("/accounts?q=ACC", Cancel)).Content.ReadAsStringAsync(Cancel);
        Assert.Contains("In credit: $87.60", results, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_page_asks_before_recording_an_overpayment_and_posts_it_on_the_second_explicit_confirmation(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await PageSession.SeedAccountAsync(app);
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);
        var form = await (await agent.GetAsync($"/accounts/{accountId}", Cancel)).Content.ReadAsStringAsync(Cancel);
        var key = PageSession.HiddenValue(form, "Payment.IdempotencyKey");
        Dictionary<string, string> Payment() => new()
        {
            ["Payment.Amount"] = "1300.00",
            ["Payment.PaidOn"] = "2026-03-01",
            ["Payment.Method"] = "card",
            ["Payment.IdempotencyKey"] = key,
        };

        var asked = await PageSession.SubmitAsync(agent, $"/accounts/{accountId}", "payment", Payment(), postUrl: $"/accounts/{accountId}/record");
        var question = await asked.Content.ReadAsStringAsync(Cancel);
        var paymentsAfterQuestion = await PaymentRowsAsync(app);
        var confirmed = await PageSession.SubmitAsync(agent, $"/accounts/{accountId}", "payment",
            new(Payment()) { ["Payment.Overpayment"] = "true" }, postUrl: $"/accounts/{accountId}/record");
        var landing = await (await agent.GetAsync(confirmed.Headers.Location, Cancel)).Content.ReadAsStringAsync(Cancel);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, asked.StatusCode);
        Assert.Contains("This is more than the balance of $1,225.00; record an overpayment of $75.00?", question, StringComparison.Ordinal);
        Assert.Contains("name=\"Payment.Overpayment\" value=\"true\"", question, StringComparison.Ordinal);
        Assert.Equal(0, paymentsAfterQuestion);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal(1, await PaymentRowsAsync(app));
        Assert.Contains("In credit: $75.00", landing, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_file_overpayment_needs_its_overpayment_column_and_is_otherwise_rejected_naming_line_and_column(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await PlacementsAsync(app, Csv(PlacementHeader, Row("A-1"), Row("A-2", debtor: "D-2")));

        var refused = await PaymentsAsync(app, Csv(
            PaymentHeader,                                 // 1   balance 1075.25 each
            "A-1,1000.00,USD,2026-03-01,card,P-1",         // 2   leaves 75.25
            "A-1,100.00,USD,2026-03-01,card,P-2",          // 3   more than 75.25
            "A-2,1100.00,USD,2026-03-01,card,P-3"));       // 4   more than 1075.25
        var said = await PaymentsAsync(app, Csv(
            PaymentHeader + ",overpayment",
            "A-1,1000.00,USD,2026-03-01,card,P-1,",
            "A-1,100.00,USD,2026-03-01,card,P-2,true",
            "A-2,1000.00,USD,2026-03-01,card,P-3,no"));

        Assert.False(refused.Applied);
        Assert.Equal([(3, "amount"), (4, "amount")], refused.Errors.Select(e => (e.Line, e.Column)));
        Assert.Contains("$100.00 is more than the balance of $75.25", refused.Errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("overpayment", refused.Errors[0].Reason, StringComparison.Ordinal);
        Assert.True(said.Applied);
        Assert.Equal(3, said.Created);
        var balances = await app.WithDbAsync(db => db.Ledger.GroupBy(e => e.AccountId).Select(g => g.Sum(e => e.Principal + e.Interest + e.Fees)).OrderBy(t => t).ToListAsync(Cancel));
        Assert.Equal([-2_475L, 7_525L], balances);
    }
}
