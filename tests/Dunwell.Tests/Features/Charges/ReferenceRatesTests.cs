using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Ledger;
using Dunwell.Features.Charges;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Charges;

/// <summary>
/// Reference rates: one per series and date, corrected only with a reason, unusual ones only when confirmed, withdrawn
/// (not erased) when recorded for the wrong date, every recording audited.
/// </summary>
public sealed class ReferenceRatesTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly Instant Now = Instant.FromUtc(2026, 5, 1, 12, 0);

    private static object Rate(string rate, string effectiveFrom = "2025-12-18", string? reason = null, string series = "GB-BANK-RATE") =>
        new { series, effectiveFrom, rate, reason };

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_rate_is_corrected_for_its_date_only_with_a_reason_and_the_audit_trail_keeps_what_it_replaced_and_who_recorded_each(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var keyer = await app.ClientAsAsync(Roles.Admin);
        var reviewer = await app.ClientAsAsync(Roles.Admin);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var auditor = await app.ClientAsAsync(Roles.Auditor);

        var recorded = await keyer.PostAsJsonAsync("/api/v1/reference-rates", Rate("3.57"), Cancel);
        var twice = await reviewer.PostAsJsonAsync("/api/v1/reference-rates", Rate("3.75"), Cancel);
        var nothingToCorrect = await reviewer.PostAsJsonAsync("/api/v1/reference-rates", Rate("3.75", "2025-12-19", "Typo"), Cancel);
        var sameValue = await reviewer.PostAsJsonAsync("/api/v1/reference-rates", Rate("3.57", reason: "Checking"), Cancel);
        var byAgent = await agent.PostAsJsonAsync("/api/v1/reference-rates", Rate("3.75", reason: "Typo"), Cancel);
        var byAuditor = await auditor.PostAsJsonAsync("/api/v1/reference-rates", Rate("3.75", reason: "Typo"), Cancel);
        app.Clock.Advance(TimeSpan.FromHours(2));
        var corrected = await reviewer.PostAsJsonAsync("/api/v1/reference-rates", Rate("3.75", reason: "Digits transposed; the MPC set 3.75%"), Cancel);
        var listed = await (await auditor.GetAsync("/api/v1/reference-rates/GB-BANK-RATE", Cancel)).JsonAsync();

        Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
        var keyedBy = (await recorded.JsonAsync()).GetProperty("recordedBy").GetString()!;
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        var conflict = await twice.JsonAsync();
        Assert.Equal("effectiveFrom", conflict.GetProperty("field").GetString());
        Assert.Contains($"(3.57%, recorded by {keyedBy})", conflict.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("with a reason", conflict.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, nothingToCorrect.StatusCode);
        Assert.Equal(["reason"], (await nothingToCorrect.JsonAsync()).ErrorFields());
        Assert.Equal(HttpStatusCode.BadRequest, sameValue.StatusCode);
        Assert.Equal(["rate"], (await sameValue.JsonAsync()).ErrorFields());
        Assert.Equal(HttpStatusCode.Forbidden, byAgent.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byAuditor.StatusCode);
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);

        var rate = Assert.Single(listed.EnumerateArray());
        var correctedBy = rate.GetProperty("recordedBy").GetString()!;
        Assert.NotEqual(keyedBy, correctedBy);
        Assert.Equal(("2025-12-18", "3.75"), (rate.GetProperty("effectiveFrom").GetString(), rate.GetProperty("percent").GetString()));
        Assert.Equal(DateTimeOffset.Parse("2026-05-01T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture), rate.GetProperty("recordedAt").GetDateTimeOffset());
        var correction = Assert.Single(rate.GetProperty("corrections").EnumerateArray());
        Assert.Equal(correctedBy, correction.GetProperty("by").GetString());
        Assert.Equal(
            $"3.57% from 2025-12-18, recorded by {keyedBy} at 2026-05-01T12:00:00Z, corrected to 3.75%. Reason: Digits transposed; the MPC set 3.75%",
            correction.GetProperty("detail").GetString());

        var audit = await app.WithDbAsync(db => db.AuditEvents.Where(a => a.Subject == "rate:GB-BANK-RATE:2025-12-18").OrderBy(a => a.Id)
            .Select(a => new { a.Action, a.Actor }).ToListAsync(Cancel));
        Assert.Equal([("reference-rate.create", keyedBy), ("reference-rate.correct", correctedBy)], audit.Select(a => (a.Action, a.Actor)));
        Assert.Equal(1, await app.WithDbAsync(db => db.ReferenceRates.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_corrected_rate_reaches_the_ledger_as_a_correcting_entry_on_the_next_charge_posting(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
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
        Task<PostingSummary> PostAsync() => app.WithDbAsync(db => PostCharges.RunAsync(db, new LocalDate(2026, 4, 30), null, "test", app.Now, Cancel));
        Task<List<long>> InterestAsync() => app.WithDbAsync(db => db.Ledger
            .Where(e => e.AccountId == accountId && e.Kind == LedgerEntryKind.Interest && e.Reference == "uk-late-payment-1998")
            .OrderBy(e => e.Id).Select(e => e.Interest).ToListAsync(Cancel));

        // Bank Rate keyed as 4.75 instead of 3.75: April's interest is posted at 12.75% instead of 11.75%.
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/reference-rates", Rate("4.75"), Cancel)).StatusCode);
        var first = await PostAsync();
        var postedAtWrongRate = Assert.Single(await InterestAsync());
        var corrected = await admin.PostAsJsonAsync("/api/v1/reference-rates", Rate("3.75", reason: "Keyed 4.75 in error"), Cancel);
        var correction = await PostAsync();
        var again = await PostAsync();
        var sheet = await (await agent.GetAsync($"/api/v1/accounts/{accountId}/charges?asOf=2026-04-30", Cancel)).JsonAsync();
        var interest = await InterestAsync();

        Assert.Equal(0, first.Corrections);
        Assert.True(postedAtWrongRate > 966, $"posted {postedAtWrongRate} at the wrong rate");
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        Assert.Equal((1, 1), (correction.EntriesPosted, correction.Corrections));
        Assert.Equal(0, again.EntriesPosted);
        // 999.99 for 30 days at 11.75% is 9.66: the correcting entry takes back exactly the excess, and the first entry stays.
        Assert.Equal([postedAtWrongRate, 966 - postedAtWrongRate], interest);
        var line = sheet.GetProperty("items")[0];
        Assert.Equal(("11.75%", "9.66"), (line.GetProperty("rate").GetString(), line.GetProperty("amount").GetProperty("amount").GetString()));
        Assert.All(sheet.GetProperty("rules").EnumerateArray(), r => Assert.Equal("0.00", r.GetProperty("toPost").GetProperty("amount").GetString()));
        var note = await app.WithDbAsync(db => db.Ledger.Where(e => e.AccountId == accountId && e.Interest < 0).Select(e => e.Note).SingleAsync(Cancel));
        Assert.Contains("a corrected rate", note!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_negative_rate_or_a_date_more_than_a_month_ahead_is_recorded_only_when_confirmed(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var admin = await app.ClientAsAsync(Roles.Admin);
        object Unusual(string rate, string effectiveFrom, bool? confirm) => new { series = "ECB-MRO", effectiveFrom, rate, confirm };

        var negative = await admin.PostAsJsonAsync("/api/v1/reference-rates", Unusual("-0.10", "2026-03-01", null), Cancel);
        var farAhead = await admin.PostAsJsonAsync("/api/v1/reference-rates", Unusual("2.00", "2026-06-02", false), Cancel);
        Assert.Equal(0, await app.WithDbAsync(db => db.ReferenceRates.CountAsync(Cancel)));
        var withinAMonth = await admin.PostAsJsonAsync("/api/v1/reference-rates", Unusual("2.15", "2026-06-01", null), Cancel);
        var negativeConfirmed = await admin.PostAsJsonAsync("/api/v1/reference-rates", Unusual("-0.10", "2026-03-01", true), Cancel);
        var farAheadConfirmed = await admin.PostAsJsonAsync("/api/v1/reference-rates", Unusual("2.00", "2026-06-02", true), Cancel);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, negative.StatusCode);
        var why = await negative.JsonAsync();
        Assert.Equal(("Confirmation needed", "rate"), (why.GetProperty("title").GetString(), why.GetProperty("field").GetString()));
        Assert.Contains("A negative rate (-0.10%) is rare", why.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"confirm\": true", why.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, farAhead.StatusCode);
        var ahead = await farAhead.JsonAsync();
        Assert.Equal("effectiveFrom", ahead.GetProperty("field").GetString());
        Assert.Contains("2026-06-02 is more than a month after today (2026-05-01)", ahead.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, withinAMonth.StatusCode);
        Assert.Equal(HttpStatusCode.Created, negativeConfirmed.StatusCode);
        Assert.Equal(HttpStatusCode.Created, farAheadConfirmed.StatusCode);
        Assert.Equal([-10, 215, 200], await app.WithDbAsync(db => db.ReferenceRates.OrderBy(r => r.EffectiveFrom).Select(r => r.BasisPoints).ToListAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_rate_recorded_for_the_wrong_date_is_withdrawn_by_a_new_record_and_no_longer_counts_in_statutory_interest(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var admin = await app.ClientAsAsync(Roles.Admin);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var auditor = await app.ClientAsAsync(Roles.Auditor);
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
        Task<PostingSummary> PostAsync() => app.WithDbAsync(db => PostCharges.RunAsync(db, new LocalDate(2026, 4, 30), null, "test", app.Now, Cancel));
        Task<List<long>> InterestAsync() => app.WithDbAsync(db => db.Ledger
            .Where(e => e.AccountId == accountId && e.Kind == LedgerEntryKind.Interest && e.Reference == "uk-late-payment-1998")
            .OrderBy(e => e.Id).Select(e => e.Interest).ToListAsync(Cancel));
        const string Withdrawal = "/api/v1/reference-rates/GB-BANK-RATE/2025-12-20/withdrawal";

        // Bank Rate is 3.75%; a rise to 4.75% was keyed from 20 December though the committee never made it, so the rate in
        // force on 31 December, which sets the first half of 2026, reads 4.75%.
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/reference-rates", Rate("3.75"), Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/reference-rates", Rate("4.75", "2025-12-20"), Cancel)).StatusCode);
        await PostAsync();
        var postedAtWrongRate = Assert.Single(await InterestAsync());
        var byAgent = await agent.PostAsJsonAsync(Withdrawal, new { reason = "Wrong date" }, Cancel);
        var noReason = await admin.PostAsJsonAsync(Withdrawal, new { reason = " " }, Cancel);
        var nothingThere = await admin.PostAsJsonAsync("/api/v1/reference-rates/GB-BANK-RATE/2025-12-21/withdrawal", new { reason = "Wrong date" }, Cancel);
        var withdrawn = await admin.PostAsJsonAsync(Withdrawal, new { reason = "No rise was announced; keyed against the wrong date" }, Cancel);
        var twice = await admin.PostAsJsonAsync(Withdrawal, new { reason = "Again" }, Cancel);
        var recordedAgain = await admin.PostAsJsonAsync("/api/v1/reference-rates", Rate("4.75", "2025-12-20"), Cancel);
        var correction = await PostAsync();
        var listed = await (await auditor.GetAsync("/api/v1/reference-rates/GB-BANK-RATE", Cancel)).JsonAsync();
        var sheet = await (await agent.GetAsync($"/api/v1/accounts/{accountId}/charges?asOf=2026-04-30", Cancel)).JsonAsync();

        Assert.True(postedAtWrongRate > 966, $"posted {postedAtWrongRate} at the wrong rate");
        Assert.Equal(HttpStatusCode.Forbidden, byAgent.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(["reason"], (await noReason.JsonAsync()).ErrorFields());
        Assert.Equal(HttpStatusCode.NotFound, nothingThere.StatusCode);
        Assert.Equal(HttpStatusCode.Created, withdrawn.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, recordedAgain.StatusCode);
        Assert.Contains("was withdrawn", (await recordedAgain.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Both rates stay listed; the withdrawn one says so, by whom and why.
        var rates = listed.EnumerateArray().ToList();
        Assert.Equal(["2025-12-18", "2025-12-20"], rates.Select(r => r.GetProperty("effectiveFrom").GetString()));
        Assert.False(rates[0].TryGetProperty("withdrawn", out var none) && none.ValueKind != JsonValueKind.Null);
        Assert.Equal("No rise was announced; keyed against the wrong date", rates[1].GetProperty("withdrawn").GetProperty("reason").GetString());
        Assert.Equal(2, await app.WithDbAsync(db => db.ReferenceRates.CountAsync(Cancel)));
        var audit = await app.WithDbAsync(db => db.AuditEvents.Where(a => a.Subject == "rate:GB-BANK-RATE:2025-12-20").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync(Cancel));
        Assert.Equal(["reference-rate.create", "reference-rate.withdraw"], audit);

        // 999.99 for 30 days at 11.75% (3.75% + 8) is 9.66: the next posting takes back what the withdrawn rate added.
        Assert.Equal((1, 1), (correction.EntriesPosted, correction.Corrections));
        Assert.Equal([postedAtWrongRate, 966 - postedAtWrongRate], await InterestAsync());
        Assert.Equal("11.75%", sheet.GetProperty("items")[0].GetProperty("rate").GetString());
    }
}
