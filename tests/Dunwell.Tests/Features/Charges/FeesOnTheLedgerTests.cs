using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dunwell.Domain.Ledger;
using Dunwell.Features.Charges;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Charges;

/// <summary>Fees and interest reach the ledger only as the charge sheet explains them, once, and can be waived within authority.</summary>
public sealed class FeesOnTheLedgerTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // 16:00 UTC is 11:00 in New York: the creditor's today is 2026-03-02; the seeded account owes 500.00 + 12.40 + 100.00 USD, due 2026-01-15.
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 16, 0);

    private static HttpRequestMessage Post(string path, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private static async Task<JsonObject> PolicyAsync(HttpClient admin) =>
        JsonNode.Parse((await (await admin.GetAsync("/api/v1/creditors/ACME/policy", Cancel)).JsonAsync()).GetProperty("policy").GetRawText())!.AsObject();

    private static Task<PostingSummary> PostAsync(TestApp app, LocalDate date) =>
        app.WithDbAsync(db => PostCharges.RunAsync(db, date, null, "test", app.Now, Cancel));

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Posting_adds_what_each_rule_has_earned_once_and_a_backdated_payment_is_corrected_on_the_next_run(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var admin = await app.ClientAsAsync("admin");
        var agent = await app.ClientAsAsync("agent");
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var policy = await PolicyAsync(admin);
        policy["fees"] = JsonNode.Parse("""
            [{"id": "late-fee", "kind": "fixedLateFee", "afterDaysPastDue": 30, "amountMinor": 2500, "from": "2026-01-01"},
             {"id": "contract-interest", "kind": "dailySimpleInterest", "basisPoints": 1000, "capMinor": 100000, "from": "2026-01-01"}]
            """);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/v1/creditors/ACME/policy", policy, Cancel)).StatusCode);

        var first = await PostAsync(app, new LocalDate(2026, 3, 2));
        var again = await PostAsync(app, new LocalDate(2026, 3, 2));
        var tenDaysLater = await PostAsync(app, new LocalDate(2026, 3, 12));
        var posted = await app.WithDbAsync(db => db.Ledger.Where(e => e.AccountId == accountId && (e.Kind == LedgerEntryKind.Fee || e.Kind == LedgerEntryKind.Interest))
            .OrderBy(e => e.Id).Select(e => new { e.Reference, Amount = e.Fees + e.Interest, e.Kind }).ToListAsync(Cancel));

        Assert.Equal((1, 2), (first.AccountsExamined, first.EntriesPosted));
        Assert.Equal(0, again.EntriesPosted);
        Assert.Equal(1, tenDaysLater.EntriesPosted);
        // Late fee 25.00 at 30 days; 10% a year on 500.00 for 46 days (16 Jan to 2 Mar) is 6.30, and for 56 days 7.67.
        Assert.Equal(
            [("contract-interest", 630L, LedgerEntryKind.Interest), ("late-fee", 2_500L, LedgerEntryKind.Fee), ("contract-interest", 137L, LedgerEntryKind.Interest)],
            posted.Select(p => (p.Reference!, p.Amount, p.Kind)));

        // A payment dated back to 1 February lowers the principal interest ran on since then; the next run posts the difference back.
        var payment = await agent.SendAsync(Post($"/api/v1/accounts/{accountId}/payments", new { amount = "300.00", currency = "USD", paidOn = "2026-02-01", method = "card" }, "pay-1"), Cancel);
        Assert.Equal(HttpStatusCode.Created, payment.StatusCode);
        var correction = await PostAsync(app, new LocalDate(2026, 3, 12));
        var sheet = await (await agent.GetAsync($"/api/v1/accounts/{accountId}/charges?asOf=2026-03-12", Cancel)).JsonAsync();

        Assert.Equal((1, 1), (correction.EntriesPosted, correction.Corrections));
        var interest = sheet.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("rule").GetString() == "contract-interest");
        Assert.Equal(interest.GetProperty("due").GetProperty("amount").GetString(), interest.GetProperty("posted").GetProperty("amount").GetString());
        Assert.Equal("0.00", interest.GetProperty("toPost").GetProperty("amount").GetString());
        Assert.True(decimal.Parse(interest.GetProperty("due").GetProperty("amount").GetString()!, System.Globalization.CultureInfo.InvariantCulture) < 7.67m);
        Assert.Equal(2, sheet.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("rule").GetString() == "contract-interest"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task No_interest_accrues_while_a_dispute_is_open_or_in_a_breathing_space(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var admin = await app.ClientAsAsync("admin");
        var agent = await app.ClientAsAsync("agent");
        var (debtorId, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var policy = await PolicyAsync(admin);
        policy["fees"] = JsonNode.Parse("""[{"id": "contract-interest", "kind": "dailySimpleInterest", "basisPoints": 1000, "from": "2026-01-01"}]""");
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/v1/creditors/ACME/policy", policy, Cancel)).StatusCode);
        // Disputed from 1 to 10 February (verification sent on the 10th); a breathing space from 20 to 28 February.
        await app.WithDbAsync(async db =>
        {
            db.Disputes.Add(new Dunwell.Data.Dispute
            {
                AccountId = accountId,
                ReceivedAt = Instant.FromUtc(2026, 2, 1, 15, 0),
                Written = true,
                VerifiedAt = Instant.FromUtc(2026, 2, 10, 15, 0),
                RecordedBy = "test",
                RecordedAt = Instant.FromUtc(2026, 2, 1, 15, 0),
            });
            await db.SaveChangesAsync(Cancel);
        });
        var flagged = await agent.PatchAsJsonAsync($"/api/v1/debtors/{debtorId}",
            new { flags = new[] { new { kind = "breathingSpace", since = "2026-02-20", until = "2026-02-28" } } }, Cancel);

        var sheet = await (await agent.GetAsync($"/api/v1/accounts/{accountId}/charges?asOf=2026-03-02", Cancel)).JsonAsync();

        Assert.Equal(HttpStatusCode.OK, flagged.StatusCode);
        var runs = sheet.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("from").GetString(), i.GetProperty("through").GetString())).ToList();
        Assert.Equal([("2026-01-16", "2026-01-31"), ("2026-02-11", "2026-02-19"), ("2026-03-01", "2026-03-02")], runs);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_fee_posted_for_a_day_a_breathing_space_later_turns_out_to_cover_is_taken_back_and_a_rule_added_today_does_not_reach_back(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var admin = await app.ClientAsAsync("admin");
        var agent = await app.ClientAsAsync("agent");
        var (debtorId, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var policy = await PolicyAsync(admin);
        // The late fee is in the agreement; the collection fee is new terms from today (no "from"), so the 45th day, already past, is not charged.
        policy["fees"] = JsonNode.Parse("""
            [{"id": "late-fee", "kind": "fixedLateFee", "afterDaysPastDue": 30, "amountMinor": 2500, "from": "2026-01-01"},
             {"id": "collection-fee", "kind": "fixedLateFee", "afterDaysPastDue": 45, "amountMinor": 4000}]
            """);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/v1/creditors/ACME/policy", policy, Cancel)).StatusCode);

        var first = await PostAsync(app, new LocalDate(2026, 3, 2));
        var flagged = await agent.PatchAsJsonAsync($"/api/v1/debtors/{debtorId}",
            new { flags = new[] { new { kind = "breathingSpace", since = "2026-02-10", until = "2026-02-20" } } }, Cancel);
        var second = await PostAsync(app, new LocalDate(2026, 3, 3));
        var lateFee = await app.WithDbAsync(db => db.Ledger.Where(e => e.AccountId == accountId && e.Reference == "late-fee").OrderBy(e => e.Id).Select(e => e.Fees).ToListAsync(Cancel));

        Assert.Equal((1, 0), (first.EntriesPosted, first.Corrections));
        Assert.Equal(HttpStatusCode.OK, flagged.StatusCode);
        Assert.Equal((1, 1), (second.EntriesPosted, second.Corrections));
        Assert.Equal([2_500L, -2_500L], lateFee);
        Assert.False(await app.WithDbAsync(db => db.Ledger.AnyAsync(e => e.Reference == "collection-fee", Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_agent_waives_fees_within_their_cap_at_once_and_beyond_it_only_after_a_supervisor_approves(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync("agent");
        var supervisor = await app.ClientAsAsync("supervisor");
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        string Balance(System.Text.Json.JsonElement account, string part) => account.GetProperty("balance").GetProperty(part).GetString()!;

        var small = await agent.SendAsync(Post($"/api/v1/accounts/{accountId}/arrangements", new { kind = "feeWaiver", waive = "20.00", note = "Fee charged in error" }, "w-1"), Cancel);
        var afterSmall = await (await agent.GetAsync($"/api/v1/accounts/{accountId}", Cancel)).JsonAsync();
        var large = await agent.SendAsync(Post($"/api/v1/accounts/{accountId}/arrangements", new { kind = "feeWaiver", waive = "50.00" }, "w-2"), Cancel);
        var second = await agent.SendAsync(Post($"/api/v1/accounts/{accountId}/arrangements", new { kind = "feeWaiver", waive = "1.00" }, "w-3"), Cancel);
        var plan = await agent.SendAsync(Post($"/api/v1/accounts/{accountId}/arrangements", new { kind = "promise", firstPaymentOn = "2026-03-10" }, "p-1"), Cancel);
        var whilePending = await (await agent.GetAsync($"/api/v1/accounts/{accountId}", Cancel)).JsonAsync();
        var largeBody = await large.JsonAsync();
        var approved = await supervisor.PostAsJsonAsync($"/api/v1/arrangements/{largeBody.GetProperty("id").GetInt64()}/approve", new { note = "Long-standing customer" }, Cancel);
        var afterApproval = await (await agent.GetAsync($"/api/v1/accounts/{accountId}", Cancel)).JsonAsync();
        var tooMuch = await agent.SendAsync(Post($"/api/v1/accounts/{accountId}/arrangements", new { kind = "feeWaiver", waive = "100.00" }, "w-4"), Cancel);

        Assert.Equal(HttpStatusCode.Created, small.StatusCode);
        Assert.Equal("completed", (await small.JsonAsync()).GetProperty("state").GetString());
        Assert.Equal(("80.00", "12.40", "500.00"), (Balance(afterSmall, "fees"), Balance(afterSmall, "interest"), Balance(afterSmall, "principal")));
        Assert.Equal("pendingApproval", largeBody.GetProperty("state").GetString());
        Assert.Equal("fee-waiver", largeBody.GetProperty("needsApprovalBecause")[0].GetProperty("limit").GetString());
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(HttpStatusCode.Created, plan.StatusCode); // a waiver waiting for approval does not stand in the way of a promise
        Assert.Equal("80.00", Balance(whilePending, "fees"));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(("30.00", "12.40"), (Balance(afterApproval, "fees"), Balance(afterApproval, "interest")));
        Assert.Equal(HttpStatusCode.BadRequest, tooMuch.StatusCode);
        // Waivers agreed without approval add up: 20.00 already, so 6.00 more is beyond the agent's 25.00.
        var sliced = await (await agent.SendAsync(Post($"/api/v1/accounts/{accountId}/arrangements", new { kind = "feeWaiver", waive = "6.00" }, "w-5"), Cancel)).JsonAsync();
        Assert.Equal("pendingApproval", sliced.GetProperty("state").GetString());
        Assert.Contains("at most the $42.40 of fees and interest owed", (await tooMuch.Content.ReadAsStringAsync(Cancel)), StringComparison.Ordinal);
        var confirmations = await app.WithDbAsync(db => db.Outbox.CountAsync(m => m.TemplateKey == "fee-waiver-confirmation", Cancel));
        Assert.Equal(2, confirmations);
        var waivers = await app.WithDbAsync(db => db.Ledger.Where(e => e.AccountId == accountId && e.Kind == LedgerEntryKind.Waiver)
            .OrderBy(e => e.Id).Select(e => new { e.Fees, e.PostedBy }).ToListAsync(Cancel));
        Assert.Equal([-2_000L, -5_000L], waivers.Select(w => w.Fees));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_waived_fee_later_found_not_due_is_not_handed_back_twice_and_a_waiver_approved_once_fees_are_paid_waives_nothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var admin = await app.ClientAsAsync("admin");
        var agent = await app.ClientAsAsync("agent");
        var supervisor = await app.ClientAsAsync("supervisor");
        var (debtorId, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var policy = await PolicyAsync(admin);
        policy["fees"] = JsonNode.Parse("""[{"id": "late-fee", "kind": "fixedLateFee", "afterDaysPastDue": 30, "amountMinor": 2500, "from": "2026-01-01"}]""");
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/v1/creditors/ACME/policy", policy, Cancel)).StatusCode);
        async Task<string> FeesAsync() => (await (await agent.GetAsync($"/api/v1/accounts/{accountId}", Cancel)).JsonAsync()).GetProperty("balance").GetProperty("fees").GetString()!;

        // 100.00 of fees came with the placement; the late fee adds 25.00, which the agent then waives.
        await PostAsync(app, new LocalDate(2026, 3, 2));
        var waived = await agent.SendAsync(Post($"/api/v1/accounts/{accountId}/arrangements", new { kind = "feeWaiver", waive = "25.00", note = "Goodwill" }, "w-1"), Cancel);
        var afterWaiver = await FeesAsync();
        // A breathing space found later covers the late fee's day: the fee is not due after all, but it was already waived.
        await agent.PatchAsJsonAsync($"/api/v1/debtors/{debtorId}", new { flags = new[] { new { kind = "breathingSpace", since = "2026-02-10", until = "2026-02-20" } } }, Cancel);
        var recalculated = await PostAsync(app, new LocalDate(2026, 3, 3));
        var sheet = await (await agent.GetAsync($"/api/v1/accounts/{accountId}/charges?asOf=2026-03-03", Cancel)).JsonAsync();

        Assert.Equal(HttpStatusCode.Created, waived.StatusCode);
        Assert.Equal("100.00", afterWaiver);
        Assert.Equal(0, recalculated.EntriesPosted);
        Assert.Equal("100.00", await FeesAsync());
        var lateFee = sheet.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("rule").GetString() == "late-fee");
        Assert.Equal(("0.00", "25.00", "25.00", "0.00"), (lateFee.GetProperty("due").GetProperty("amount").GetString(), lateFee.GetProperty("posted").GetProperty("amount").GetString(),
            lateFee.GetProperty("waived").GetProperty("amount").GetString(), lateFee.GetProperty("toPost").GetProperty("amount").GetString()));

        // A waiver waits for approval while the customer pays every fee and the interest: approving it then takes nothing off.
        var pending = await (await agent.SendAsync(Post($"/api/v1/accounts/{accountId}/arrangements", new { kind = "feeWaiver", waive = "50.00", note = "Hardship" }, "w-2"), Cancel)).JsonAsync();
        var paid = await agent.SendAsync(Post($"/api/v1/accounts/{accountId}/payments", new { amount = "112.40", currency = "USD", paidOn = "2026-03-02", method = "card" }, "pay-1"), Cancel);
        var approved = await (await supervisor.PostAsJsonAsync($"/api/v1/arrangements/{pending.GetProperty("id").GetInt64()}/approve", new { note = "ok" }, Cancel)).JsonAsync();

        Assert.Equal("pendingApproval", pending.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Created, paid.StatusCode);
        Assert.Equal("cancelled", approved.GetProperty("state").GetString());
        Assert.Equal("0.00", await FeesAsync());
        Assert.Equal(1, await app.WithDbAsync(db => db.Ledger.CountAsync(e => e.AccountId == accountId && e.Kind == LedgerEntryKind.Waiver, Cancel)));
        Assert.Equal(1, await app.WithDbAsync(db => db.Outbox.CountAsync(m => m.TemplateKey == "fee-waiver-confirmation", Cancel)));
        Assert.True(await app.WithDbAsync(db => db.Interactions.AnyAsync(i => i.AccountId == accountId && i.Notes!.Contains("nothing left to waive"), Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Interest_stops_while_a_promise_runs_and_starts_again_once_it_is_broken_unless_the_policy_keeps_it_running(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var admin = await app.ClientAsAsync("admin");
        var agent = await app.ClientAsAsync("agent");
        var (_, frozen) = await RecordsSeed.AccountAsync(app, agent);
        var policy = await PolicyAsync(admin);
        policy["fees"] = JsonNode.Parse("""[{"id": "contract-interest", "kind": "dailySimpleInterest", "basisPoints": 1000, "from": "2026-01-01"}]""");
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/v1/creditors/ACME/policy", policy, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await agent.SendAsync(Post($"/api/v1/accounts/{frozen}/arrangements", new { kind = "promise", firstPaymentOn = "2026-03-10" }, "p-1"), Cancel)).StatusCode);
        async Task<IReadOnlyList<(string?, string?)>> RunsAsync(long account, string asOf) =>
            [.. (await (await agent.GetAsync($"/api/v1/accounts/{account}/charges?asOf={asOf}", Cancel)).JsonAsync()).GetProperty("items").EnumerateArray()
                .Select(i => (i.GetProperty("from").GetString(), i.GetProperty("through").GetString()))];

        var whileRunning = await RunsAsync(frozen, "2026-03-12");
        await app.WithDbAsync(db => Dunwell.Features.Arrangements.EvaluateArrangements.RunAsync(db, new LocalDate(2026, 3, 14), null, "test", app.Now, Cancel));
        var afterBroken = await RunsAsync(frozen, "2026-03-20");
        // A creditor that keeps charges running: a promise agreed under that policy freezes nothing, and the earlier
        // promise keeps the terms it was agreed under.
        policy["freezeChargesDuringArrangements"] = false;
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/v1/creditors/ACME/policy", policy, Cancel)).StatusCode);
        var (_, accruing) = await RecordsSeed.AccountAsync(app, agent, "ACC-2", "D-2");
        Assert.Equal(HttpStatusCode.Created, (await agent.SendAsync(Post($"/api/v1/accounts/{accruing}/arrangements", new { kind = "promise", firstPaymentOn = "2026-03-10" }, "p-2"), Cancel)).StatusCode);

        // Agreed on 2 March: nothing from that day while it ran; broken as of 14 March, interest again from the 15th.
        Assert.Equal([("2026-01-16", "2026-03-01")], whileRunning);
        Assert.Equal([("2026-01-16", "2026-03-01"), ("2026-03-15", "2026-03-20")], afterBroken);
        Assert.Equal([("2026-01-16", "2026-03-01"), ("2026-03-15", "2026-03-20")], await RunsAsync(frozen, "2026-03-20"));
        Assert.Equal([("2026-01-16", "2026-03-20")], await RunsAsync(accruing, "2026-03-20"));
    }
}
