using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Ledger;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Accounts;

public sealed class AccountApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // 09:00 UTC is 04:00 in New York: the creditor's "today" is 2026-03-02, 46 days after the due date of 2026-01-15.
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 9, 0);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_placed_account_shows_its_opening_charge_balance_and_ageing_at_a_glance(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        await RecordsSeed.CreditorAsync(app);
        var debtorId = await RecordsSeed.PostDebtorAsync(agent, RecordsSeed.Debtor());

        var created = await agent.PostAsJsonAsync("/api/v1/accounts", RecordsSeed.Account(debtorId), Cancel);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync()).GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/accounts/{id}", created.Headers.Location?.ToString());
        var account = await (await agent.GetAsync($"/api/v1/accounts/{id}", Cancel)).JsonAsync();
        Assert.Equal("ACC-1", account.GetProperty("reference").GetString());
        Assert.Equal("consumer", account.GetProperty("kind").GetString());
        Assert.Equal("active", account.GetProperty("status").GetString());
        Assert.Equal("2026-01-15", account.GetProperty("dueDate").GetString());
        Assert.Equal("2026-01-10", account.GetProperty("itemizationDate").GetString());
        Assert.Equal("""{"currency":"USD","total":"612.40","principal":"500.00","interest":"12.40","fees":"100.00"}""",
            account.GetProperty("balance").GetRawText());
        var ageing = account.GetProperty("ageing");
        Assert.Equal(46, ageing.GetProperty("daysPastDue").GetInt32());
        Assert.Equal("31-60", ageing.GetProperty("bucket").GetString());
        Assert.Equal("2026-03-02", ageing.GetProperty("asOf").GetString());
        Assert.Equal("ACME", account.GetProperty("creditor").GetProperty("reference").GetString());
        var debtor = account.GetProperty("debtor");
        Assert.Equal("Jane Doe", debtor.GetProperty("name").GetString());
        Assert.Equal(2, debtor.GetProperty("contacts").GetArrayLength());
        Assert.Equal("vulnerable", debtor.GetProperty("flags")[0].GetProperty("kind").GetString());
        Assert.Equal("email", debtor.GetProperty("preferences").GetProperty("channel").GetString());
        var charge = Assert.Single(account.GetProperty("ledger").EnumerateArray());
        Assert.Equal("charge", charge.GetProperty("kind").GetString());
        Assert.Equal("612.40", charge.GetProperty("amount").GetProperty("total").GetString());
        Assert.Equal("2026-03-02T09:00:00+00:00", charge.GetProperty("postedAt").GetString());
        Assert.Equal(0, account.GetProperty("interactions").GetArrayLength());
        var saved = await app.WithDbAsync(db => db.Ledger.SingleAsync(Cancel));
        Assert.Equal((LedgerEntryKind.Charge, 50_000L, 1_240L, 10_000L), (saved.Kind, saved.Principal, saved.Interest, saved.Fees));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Bad_account_fields_are_named_and_a_taken_reference_is_a_conflict(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (debtorId, _) = await RecordsSeed.AccountAsync(app, agent);

        var badAmounts = await agent.PostAsJsonAsync("/api/v1/accounts", new
        {
            reference = "ACC-2",
            creditorReference = "ACME",
            debtorId,
            kind = "consumer",
            currency = "USD",
            principal = "12.345",
            interest = "-1.00",
            fees = "1,000.00",
            dueDate = "2026-01-15",
        }, Cancel);
        var badCurrency = await agent.PostAsJsonAsync("/api/v1/accounts", new
        {
            reference = "ACC-2",
            creditorReference = "ACME",
            debtorId,
            kind = "consumer",
            currency = "USX",
            principal = "1.00",
        }, Cancel);
        var unknownParties = await agent.PostAsJsonAsync("/api/v1/accounts", new
        {
            reference = "ACC-2",
            creditorReference = "NOPE",
            debtorId = 999_999,
            kind = "commercial",
            currency = "JPY",
            principal = "1500",
            dueDate = "2026-01-15",
        }, Cancel);
        var badDate = await agent.PostAsJsonAsync("/api/v1/accounts", new
        {
            reference = "ACC-2",
            creditorReference = "ACME",
            debtorId,
            kind = "consumer",
            currency = "USD",
            principal = "1.00",
            dueDate = "15/01/2026",
        }, Cancel);
        var taken = await agent.PostAsJsonAsync("/api/v1/accounts", RecordsSeed.Account(debtorId), Cancel);

        Assert.Equal(["fees", "interest", "principal"], (await badAmounts.JsonAsync()).ErrorFields().Order(StringComparer.Ordinal));
        Assert.Equal(["currency", "dueDate"], (await badCurrency.JsonAsync()).ErrorFields().Order(StringComparer.Ordinal));
        Assert.Equal(["creditorReference", "debtorId"], (await unknownParties.JsonAsync()).ErrorFields().Order(StringComparer.Ordinal));
        Assert.Equal(["dueDate"], (await badDate.JsonAsync()).ErrorFields());
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal(1, await app.WithDbAsync(db => db.Accounts.CountAsync(Cancel)));
        Assert.Equal(1, await app.WithDbAsync(db => db.Ledger.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Search_finds_accounts_by_reference_name_prefix_email_and_phone_in_pages(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        await RecordsSeed.CreditorAsync(app);
        var jane = await RecordsSeed.PostDebtorAsync(agent, RecordsSeed.Debtor());
        var john = await RecordsSeed.PostDebtorAsync(agent, RecordsSeed.Debtor("D-2", "John Smith", "(415) 555-0100", "john@example.org"));
        await RecordsSeed.PostAccountAsync(agent, RecordsSeed.Account(jane, "ACC-1"));
        await RecordsSeed.PostAccountAsync(agent, RecordsSeed.Account(jane, "ACC-2"));
        await RecordsSeed.PostAccountAsync(agent, RecordsSeed.Account(john, "ACC-3"));

        async Task<List<string>> FindAsync(string query) =>
            [.. (await (await agent.GetAsync($"/api/v1/accounts?{query}", Cancel)).JsonAsync())
                .GetProperty("items").EnumerateArray().Select(i => i.GetProperty("reference").GetString()!)];

        Assert.Equal(["ACC-2"], await FindAsync("reference=ACC-2"));
        Assert.Equal(["ACC-1", "ACC-2"], await FindAsync("q=jan"));
        Assert.Equal(["ACC-3"], await FindAsync("q=JOHN%40example.org"));
        Assert.Equal(["ACC-3"], await FindAsync("q=415-555-0100"));
        Assert.Equal(["ACC-3"], await FindAsync("q=%2B14155550100"));
        Assert.Equal(["ACC-1", "ACC-2", "ACC-3"], await FindAsync("q=ACC"));
        Assert.Equal(["ACC-3"], await FindAsync("debtorReference=D-2"));
        Assert.Equal(["ACC-1", "ACC-2"], await FindAsync($"debtor={jane}"));

        var first = await (await agent.GetAsync("/api/v1/accounts?q=ACC&pageSize=2", Cancel)).JsonAsync();
        Assert.True(first.GetProperty("hasMore").GetBoolean());
        Assert.Equal("/api/v1/accounts?q=ACC&page=2&pageSize=2", first.GetProperty("next").GetString());
        Assert.Equal("""{"currency":"USD","amount":"612.40"}""", first.GetProperty("items")[0].GetProperty("balance").GetRawText());
        var second = await (await agent.GetAsync(first.GetProperty("next").GetString(), Cancel)).JsonAsync();
        Assert.Equal("ACC-3", Assert.Single(second.GetProperty("items").EnumerateArray()).GetProperty("reference").GetString());
        Assert.False(second.GetProperty("hasMore").GetBoolean());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);

        var badPage = await agent.GetAsync("/api/v1/accounts?page=0&pageSize=500", Cancel);
        var notANumber = await agent.GetAsync("/api/v1/accounts?page=two", Cancel);
        Assert.Equal(["page", "pageSize"], (await badPage.JsonAsync()).ErrorFields().Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, notANumber.StatusCode);
        Assert.Equal(["page"], (await notANumber.JsonAsync()).ErrorFields());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_paid_up_account_is_current_not_past_due_and_its_balance_is_the_sum_of_its_ledger(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);

        foreach (var (amount, key) in new[] { ("400.00", "p-1"), ("212.40", "p-2") })
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{accountId}/payments")
            {
                Content = JsonContent.Create(new { amount, paidOn = "2026-03-01" }),
            };
            request.Headers.Add("Idempotency-Key", key);
            Assert.Equal(HttpStatusCode.Created, (await agent.SendAsync(request, Cancel)).StatusCode);
        }

        var account = await (await agent.GetAsync($"/api/v1/accounts/{accountId}", Cancel)).JsonAsync();
        var ledgerTotal = await app.WithDbAsync(db => db.Ledger.Where(e => e.AccountId == accountId).SumAsync(e => e.Principal + e.Interest + e.Fees, Cancel));

        Assert.Equal(0, ledgerTotal);
        Assert.Equal("0.00", account.GetProperty("balance").GetProperty("total").GetString());
        Assert.Equal("paid", account.GetProperty("status").GetString());
        Assert.Equal((0, "current"), (account.GetProperty("ageing").GetProperty("daysPastDue").GetInt32(), account.GetProperty("ageing").GetProperty("bucket").GetString()));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_consumer_debt_is_taken_on_only_where_a_rule_pack_covers_the_debtors_country_through_the_api_as_at_import(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        await RecordsSeed.CreditorAsync(app);
        var french = await RecordsSeed.PostDebtorAsync(agent, new { reference = "D-FR", kind = "person", name = "Léa Martin", country = "FR" });
        var american = await RecordsSeed.PostDebtorAsync(agent, RecordsSeed.Debtor());
        await RecordsSeed.PostAccountAsync(agent, RecordsSeed.Account(american));

        var consumer = await agent.PostAsJsonAsync("/api/v1/accounts", RecordsSeed.Account(french, "ACC-FR"), Cancel);
        var commercial = await agent.PostAsJsonAsync("/api/v1/accounts", new
        {
            reference = "INV-FR",
            creditorReference = "ACME",
            debtorId = french,
            kind = "commercial",
            currency = "EUR",
            principal = "900.00",
            dueDate = "2026-01-15"
        }, Cancel);
        var moved = await agent.PatchAsJsonAsync($"/api/v1/debtors/{american}", new { country = "FR" }, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, consumer.StatusCode);
        Assert.Contains("There is no rule pack for consumer debts in FR", (await consumer.JsonAsync()).GetProperty("errors").GetProperty("kind")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, commercial.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, moved.StatusCode);
        Assert.Contains("country", (await moved.JsonAsync()).ErrorFields());
        Assert.Equal("US", await app.WithDbAsync(db => db.Debtors.Where(d => d.Id == american).Select(d => d.Country).SingleAsync(Cancel)));
    }
}
