using System.Net;
using System.Net.Http.Json;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using NodaTime;

namespace Dunwell.Tests.Features.Arrangements;

public sealed class ChargesApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_late_uk_invoice_is_charged_statutory_interest_and_the_fixed_sum_itemised_from_the_admins_rates(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 5, 1, 12, 0));
        var admin = await app.ClientAsAsync(Roles.Admin);
        var agent = await app.ClientAsAsync(Roles.Agent);
        await app.WithDbAsync(async db =>
        {
            db.Creditors.Add(new Creditor { Reference = "WHOLESALE", Name = "Wholesale Ltd", JurisdictionPack = "B2B", TimeZone = "Europe/London" });
            await db.SaveChangesAsync(Cancel);
        });
        var debtorId = await RecordsSeed.PostDebtorAsync(agent, new { reference = "CO-1", kind = "company", name = "Buyer Ltd", country = "GB" });
        var accountId = await RecordsSeed.PostAccountAsync(agent, new
        {
            reference = "INV-1",
            creditorReference = "WHOLESALE",
            debtorId,
            kind = "commercial",
            currency = "GBP",
            principal = "999.99",
            interest = "0",
            fees = "0",
            dueDate = "2026-03-31",
        });

        var missingRate = await (await agent.GetAsync($"/api/v1/accounts/{accountId}/charges?asOf=2026-04-30", Cancel)).JsonAsync();
        var byAgent = await agent.PostAsJsonAsync("/api/v1/reference-rates", new { series = "GB-BANK-RATE", effectiveFrom = "2025-12-18", rate = "3.75" }, Cancel);
        var added = await admin.PostAsJsonAsync("/api/v1/reference-rates", new { series = "GB-BANK-RATE", effectiveFrom = "2025-12-18", rate = "3.75" }, Cancel);
        var charges = await (await agent.GetAsync($"/api/v1/accounts/{accountId}/charges?asOf=2026-04-30", Cancel)).JsonAsync();

        Assert.Contains("No Bank Rate is recorded for 2025-12-31", missingRate.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, byAgent.StatusCode);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var items = charges.GetProperty("items");
        Assert.Equal(("uk-late-payment-1998", 30, "11.75%", "9.66"), (items[0].GetProperty("rule").GetString(), items[0].GetProperty("days").GetInt32(),
            items[0].GetProperty("rate").GetString(), items[0].GetProperty("amount").GetProperty("amount").GetString()));
        Assert.Equal("40.00", items[1].GetProperty("amount").GetProperty("amount").GetString());
        Assert.Equal("49.66", charges.GetProperty("total").GetProperty("amount").GetString());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Statutory_interest_runs_on_what_is_unpaid_the_payment_day_counted_in_and_the_ledger_follows(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 5, 1, 12, 0));
        var admin = await app.ClientAsAsync(Roles.Admin);
        var agent = await app.ClientAsAsync(Roles.Agent);
        await app.WithDbAsync(async db =>
        {
            db.Creditors.Add(new Creditor { Reference = "WHOLESALE", Name = "Wholesale Ltd", JurisdictionPack = "B2B", TimeZone = "Europe/London" });
            await db.SaveChangesAsync(Cancel);
        });
        var debtorId = await RecordsSeed.PostDebtorAsync(agent, new { reference = "CO-1", kind = "company", name = "Buyer Ltd", country = "GB" });
        var accountId = await RecordsSeed.PostAccountAsync(agent, new
        {
            reference = "INV-2",
            creditorReference = "WHOLESALE",
            debtorId,
            kind = "commercial",
            currency = "GBP",
            principal = "10000.00",
            interest = "0",
            fees = "0",
            dueDate = "2026-03-31",
        });
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/reference-rates", new { series = "GB-BANK-RATE", effectiveFrom = "2025-12-18", rate = "3.75" }, Cancel)).StatusCode);
        await app.WithDbAsync(db => Dunwell.Features.Charges.PostCharges.RunAsync(db, new LocalDate(2026, 4, 30), null, "test", app.Now, Cancel));

        // 9,000.00 paid, dated 11 April: it pays the fixed sum and the interest first, then 8,803.42 of the debt; from then
        // interest runs on the 1,196.58 left (the £100 fixed sum stays: its band is the debt when it fell due).
        var payment = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{accountId}/payments")
        {
            Content = JsonContent.Create(new { amount = "9000.00", currency = "GBP", paidOn = "2026-04-11", method = "bank_transfer" }),
        };
        payment.Headers.Add("Idempotency-Key", "part");
        Assert.Equal(HttpStatusCode.Created, (await agent.SendAsync(payment, Cancel)).StatusCode);
        var corrected = await app.WithDbAsync(db => Dunwell.Features.Charges.PostCharges.RunAsync(db, new LocalDate(2026, 4, 30), null, "test", app.Now, Cancel));
        var sheet = await (await agent.GetAsync($"/api/v1/accounts/{accountId}/charges?asOf=2026-04-30", Cancel)).JsonAsync();

        var interest = sheet.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("rule").GetString() == "uk-late-payment-1998").ToList();
        // The payment day is the last day on the whole debt (days = paid on − relevant day): 11 days, then 19.
        Assert.Equal([("2026-04-01", "2026-04-11", 11, "10000.00"), ("2026-04-12", "2026-04-30", 19, "1196.58")],
            interest.Select(i => (i.GetProperty("from").GetString(), i.GetProperty("through").GetString(), i.GetProperty("days").GetInt32(),
                i.GetProperty("base")!.GetProperty("amount").GetString())));
        Assert.Contains("for 11 days, 1 April 2026 to 11 April 2026", interest[0].GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.Contains("for 19 days, 12 April 2026 to 30 April 2026", interest[1].GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, corrected.Corrections);
        Assert.All(sheet.GetProperty("rules").EnumerateArray(), r => Assert.Equal("0.00", r.GetProperty("toPost").GetProperty("amount").GetString()));
        Assert.Contains(sheet.GetProperty("items").EnumerateArray(), i => i.GetProperty("rule").GetString() == "uk-late-payment-1998:fixed-sum" && i.GetProperty("amount").GetProperty("amount").GetString() == "100.00");
    }
}
