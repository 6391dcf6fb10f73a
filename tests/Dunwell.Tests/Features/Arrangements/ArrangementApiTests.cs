using System.Net;
using System.Net.Http.Json;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Arrangements;

/// <summary>Nobody promises what policy does not allow: within authority active at once, beyond it pending a supervisor.</summary>
public sealed class ArrangementApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // 16:00 UTC is 11:00 in New York: the creditor's today is 2026-03-02; the seeded account owes 612.40 USD.
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 16, 0);

    private static HttpRequestMessage Propose(long accountId, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{accountId}/arrangements") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_options_are_within_policy_and_say_which_need_approval_for_the_caller(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);

        var options = await (await agent.GetAsync($"/api/v1/accounts/{accountId}/options?asOf=2026-03-02", Cancel)).JsonAsync();

        var offers = options.GetProperty("offers").EnumerateArray().ToList();
        Assert.Equal("612.40", options.GetProperty("balance").GetProperty("total").GetString());
        Assert.Contains(offers, o => o.GetProperty("kind").GetString() == "promise" && o.GetProperty("payBy").GetString() == "2026-03-16");
        var monthly = offers.Where(o => o.GetProperty("frequency").GetString() == "monthly").ToList();
        Assert.Equal([12, 6], monthly.Select(o => o.GetProperty("instalments").GetArrayLength()));
        Assert.True(monthly[0].GetProperty("needsApproval").GetBoolean());
        Assert.Equal("max-plan-months", monthly[0].GetProperty("needsApprovalBecause")[0].GetProperty("limit").GetString());
        Assert.False(monthly[1].GetProperty("needsApproval").GetBoolean()); // the longest plan the agent may agree alone
        Assert.DoesNotContain(offers, o => o.GetProperty("kind").GetString() == "settlement");
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.GetAsync($"/api/v1/accounts/{accountId}/options?asOf=March", Cancel)).StatusCode);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_plan_beyond_an_agents_authority_waits_for_a_supervisor_and_promises_nothing_until_approved(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var supervisor = await app.ClientAsAsync(Roles.Supervisor);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);

        var proposed = await agent.SendAsync(Propose(accountId, new { kind = "plan", firstPaymentOn = "2026-03-09", frequency = "monthly", instalments = 10 }, "plan-1"), Cancel);

        Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
        var body = await proposed.JsonAsync();
        var id = body.GetProperty("id").GetInt64();
        Assert.Equal("pendingApproval", body.GetProperty("state").GetString());
        Assert.Contains("10 months is beyond the 6 months", body.GetProperty("needsApprovalBecause")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(["61.24"], body.GetProperty("instalments").EnumerateArray().Select(i => i.GetProperty("amount").GetProperty("amount").GetString()).Distinct());
        Assert.Equal(0, await app.WithDbAsync(db => db.Outbox.CountAsync(Cancel)));
        Assert.Equal(1, await app.WithDbAsync(db => db.Tasks.CountAsync(t => t.Kind == WorkTaskKind.Approval && t.ClosedAt == null, Cancel)));
        var queue = await (await supervisor.GetAsync("/api/v1/approvals", Cancel)).JsonAsync();
        Assert.Equal(id, queue[0].GetProperty("arrangement").GetProperty("id").GetInt64());

        var byAgent = await agent.PostAsJsonAsync($"/api/v1/arrangements/{id}/approve", new { note = "fine" }, Cancel);
        var approved = await supervisor.PostAsJsonAsync($"/api/v1/arrangements/{id}/approve", new { note = "Steady income, agreed" }, Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, byAgent.StatusCode);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("active", (await approved.JsonAsync()).GetProperty("state").GetString());
        var keys = await app.WithDbAsync(db => db.Outbox.OrderBy(m => m.Id).Select(m => m.IdempotencyKey).ToListAsync(Cancel));
        Assert.Equal($"recap:{id}", keys[0]);
        Assert.Equal(12, keys.Count); // the recap, a reminder before each of the ten payments, and the US validation notice
        Assert.Equal($"validation-notice:{accountId}", keys[^1]);
        Assert.Equal(AccountStatus.InArrangement, await app.WithDbAsync(db => db.Accounts.Select(a => a.Status).SingleAsync(Cancel)));
        Assert.Equal(0, await app.WithDbAsync(db => db.Tasks.CountAsync(t => t.ClosedAt == null, Cancel)));
        var notes = await app.WithDbAsync(db => db.Interactions.OrderBy(i => i.Id).Select(i => i.Notes).ToListAsync(Cancel));
        Assert.Contains("pending a supervisor's approval", notes[0], StringComparison.Ordinal);
        Assert.Contains("approved by apikey:", notes[1], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await supervisor.PostAsJsonAsync($"/api/v1/arrangements/{id}/reject", new { note = "too late" }, Cancel)).StatusCode);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_proposal_whose_first_payment_date_has_passed_cannot_be_approved_but_can_be_rejected(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var supervisor = await app.ClientAsAsync(Roles.Supervisor);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var proposed = await (await agent.SendAsync(Propose(accountId, new { kind = "plan", firstPaymentOn = "2026-03-09", frequency = "monthly", instalments = 10 }, "plan-1"), Cancel)).JsonAsync();
        var id = proposed.GetProperty("id").GetInt64();

        app.Clock.Advance(TimeSpan.FromDays(8)); // 10 March: the first payment, on the 9th, is gone
        var approved = await supervisor.PostAsJsonAsync($"/api/v1/arrangements/{id}/approve", new { note = "fine" }, Cancel);
        var rejected = await supervisor.PostAsJsonAsync($"/api/v1/arrangements/{id}/reject", new { note = "Dates passed; call the customer again" }, Cancel);

        Assert.Equal(HttpStatusCode.Conflict, approved.StatusCode);
        Assert.Contains("2026-03-09, has passed", await approved.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Outbox.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_promise_within_authority_is_active_at_once_and_terms_outside_policy_are_refused_with_the_limit(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);

        var settlement = await agent.SendAsync(Propose(accountId, new { kind = "settlement", total = "400.00", firstPaymentOn = "2026-03-10" }, "s-1"), Cancel);
        var promise = await agent.SendAsync(Propose(accountId, new { kind = "promise", firstPaymentOn = "2026-03-12" }, "p-1"), Cancel);
        var second = await agent.SendAsync(Propose(accountId, new { kind = "promise", firstPaymentOn = "2026-03-13" }, "p-2"), Cancel);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, settlement.StatusCode);
        Assert.Equal("offered", (await settlement.JsonAsync()).GetProperty("findings")[0].GetProperty("limit").GetString());
        Assert.Equal(HttpStatusCode.Created, promise.StatusCode);
        Assert.Equal("active", (await promise.JsonAsync()).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(1, await app.WithDbAsync(db => db.Arrangements.CountAsync(Cancel)));
        Assert.Equal(1, await app.WithDbAsync(db => db.PolicyVersions.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_payment_keeps_a_promise_at_once_and_an_unpaid_one_breaks_after_the_grace_days_with_one_follow_up(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, kept) = await RecordsSeed.AccountAsync(app, agent);
        var (_, unpaid) = await RecordsSeed.AccountAsync(app, agent, "ACC-2", "D-2");
        foreach (var (account, key) in new[] { (kept, "k"), (unpaid, "u") })
        {
            Assert.Equal(HttpStatusCode.Created, (await agent.SendAsync(Propose(account, new { kind = "promise", firstPaymentOn = "2026-03-10" }, key), Cancel)).StatusCode);
        }

        var payment = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{kept}/payments") { Content = JsonContent.Create(new { amount = "612.40", paidOn = "2026-03-02" }) };
        payment.Headers.Add("Idempotency-Key", "pay");
        Assert.Equal(HttpStatusCode.Created, (await agent.SendAsync(payment, Cancel)).StatusCode);

        // Grace is 3 days: 13 March is still late, 14 March is broken; evaluating the 14th twice changes nothing more.
        var on13th = await Evaluate(app, new LocalDate(2026, 3, 13));
        var on14th = await Evaluate(app, new LocalDate(2026, 3, 14));
        var again = await Evaluate(app, new LocalDate(2026, 3, 14));

        var states = await app.WithDbAsync(db => db.Arrangements.OrderBy(a => a.AccountId).Select(a => a.State).ToListAsync(Cancel));
        Assert.Equal([Domain.Arrangements.ArrangementState.Kept, Domain.Arrangements.ArrangementState.Broken], states);
        Assert.Equal((1, 0), (on13th.Evaluated, on13th.Broken));
        Assert.Equal((1, 1, 1), (on14th.Evaluated, on14th.Broken, on14th.TasksOpened));
        Assert.Equal(0, again.Evaluated);
        var task = await app.WithDbAsync(db => db.Tasks.SingleAsync(t => t.Kind == WorkTaskKind.BrokenPromise, Cancel));
        Assert.Equal(unpaid, task.AccountId);
        Assert.Contains("ask what changed", task.Title, StringComparison.Ordinal);
        Assert.Equal(AccountStatus.Active, await app.WithDbAsync(db => db.Accounts.Where(a => a.Id == unpaid).Select(a => a.Status).SingleAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Payments_count_towards_a_promise_by_when_they_were_posted_not_by_the_day_they_were_made(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, paidFirst) = await RecordsSeed.AccountAsync(app, agent);
        var (_, paidLate) = await RecordsSeed.AccountAsync(app, agent, "ACC-2", "D-2");
        async Task PayAsync(long account, string amount, string paidOn, string key)
        {
            var payment = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{account}/payments") { Content = JsonContent.Create(new { amount, paidOn }) };
            payment.Headers.Add("Idempotency-Key", key);
            Assert.Equal(HttpStatusCode.Created, (await agent.SendAsync(payment, Cancel)).StatusCode);
        }

        // 100.00 paid this morning, then a promise for the 512.40 left, then 412.40 more: 100.00 is still owed, so the
        // morning's payment must not count towards the promise too.
        await PayAsync(paidFirst, "100.00", "2026-03-02", "morning");
        Assert.Equal(HttpStatusCode.Created, (await agent.SendAsync(Propose(paidFirst, new { kind = "promise", firstPaymentOn = "2026-03-10" }, "p-1"), Cancel)).StatusCode);
        await PayAsync(paidFirst, "412.40", "2026-03-02", "later");
        // A promise for all 612.40, then a payment made yesterday that reaches the ledger only now: it is towards the promise.
        Assert.Equal(HttpStatusCode.Created, (await agent.SendAsync(Propose(paidLate, new { kind = "promise", firstPaymentOn = "2026-03-10" }, "p-2"), Cancel)).StatusCode);
        await PayAsync(paidLate, "612.40", "2026-03-01", "yesterday");

        var id = await app.WithDbAsync(db => db.Arrangements.Where(a => a.AccountId == paidFirst).Select(a => a.Id).SingleAsync(Cancel));
        var progress = (await (await agent.GetAsync($"/api/v1/arrangements/{id}", Cancel)).JsonAsync()).GetProperty("progress");
        await Evaluate(app, new LocalDate(2026, 3, 14));

        // Today (2 March) the promise is not yet due: 412.40 of 512.40 is paid towards it, 100.00 to go.
        Assert.Equal(("2026-03-02", "412.40", "100.00", "partlyPaid"), (progress.GetProperty("asOf").GetString(), progress.GetProperty("paid").GetProperty("amount").GetString(),
            progress.GetProperty("remaining").GetProperty("amount").GetString(), progress.GetProperty("instalments")[0].GetProperty("state").GetString()));
        var states = await app.WithDbAsync(db => db.Arrangements.ToDictionaryAsync(a => a.AccountId, a => a.State, Cancel));
        Assert.Equal(Domain.Arrangements.ArrangementState.Broken, states[paidFirst]);
        Assert.Equal(Domain.Arrangements.ArrangementState.Kept, states[paidLate]);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_bounced_payment_reopens_what_it_completed_takes_back_the_settlement_write_off_and_breaks_a_promise_whose_date_has_gone(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var admin = await app.ClientAsAsync(Roles.Admin);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var supervisor = await app.ClientAsAsync(Roles.Supervisor);
        var (_, settled) = await RecordsSeed.AccountAsync(app, agent);
        var (_, promised) = await RecordsSeed.AccountAsync(app, agent, "ACC-2", "D-2");
        var policy = System.Text.Json.Nodes.JsonNode.Parse((await (await admin.GetAsync("/api/v1/creditors/ACME/policy", Cancel)).JsonAsync()).GetProperty("policy").GetRawText())!;
        policy["settlement"] = System.Text.Json.Nodes.JsonNode.Parse("""{"allowed": true, "byDaysPastDue": [{"from": 30, "maxDiscountBasisPoints": 2000}], "byBalanceMinor": [], "payWithinDays": 7}""");
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/v1/creditors/ACME/policy", policy, Cancel)).StatusCode);
        async Task<long> PayAsync(long account, string amount, string key)
        {
            var payment = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{account}/payments") { Content = JsonContent.Create(new { amount, paidOn = "2026-03-02" }) };
            payment.Headers.Add("Idempotency-Key", key);
            var response = await agent.SendAsync(payment, Cancel);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.JsonAsync()).GetProperty("entryId").GetInt64();
        }

        async Task<string> BalanceAsync(long account) =>
            (await (await agent.GetAsync($"/api/v1/accounts/{account}", Cancel)).JsonAsync()).GetProperty("balance").GetProperty("total").GetString()!;

        // Settle 612.40 for 560.00, paid at once: completed, 52.40 written off.
        Assert.Equal(HttpStatusCode.Created, (await agent.SendAsync(Propose(settled, new { kind = "settlement", total = "560.00", firstPaymentOn = "2026-03-05" }, "s-1"), Cancel)).StatusCode);
        var settlement = await PayAsync(settled, "560.00", "pay-s");
        Assert.Equal("0.00", await BalanceAsync(settled));
        // Promise paid at once: kept. A week later both payments bounce.
        Assert.Equal(HttpStatusCode.Created, (await agent.SendAsync(Propose(promised, new { kind = "promise", firstPaymentOn = "2026-03-05" }, "p-1"), Cancel)).StatusCode);
        var promise = await PayAsync(promised, "612.40", "pay-p");
        app.Clock.Advance(TimeSpan.FromDays(1));
        var reversedSettlement = await supervisor.PostAsJsonAsync($"/api/v1/accounts/{settled}/ledger/{settlement}/reversal", new { reason = "Card payment charged back" }, Cancel);
        app.Clock.Advance(TimeSpan.FromDays(8)); // 11 March: the promise's date and its grace days are gone
        var reversedPromise = await supervisor.PostAsJsonAsync($"/api/v1/accounts/{promised}/ledger/{promise}/reversal", new { reason = "Returned unpaid" }, Cancel);

        Assert.Equal(HttpStatusCode.Created, reversedSettlement.StatusCode);
        Assert.Equal(HttpStatusCode.Created, reversedPromise.StatusCode);
        Assert.Equal("612.40", await BalanceAsync(settled));
        var arrangements = await app.WithDbAsync(db => db.Arrangements.ToDictionaryAsync(a => a.AccountId, a => a.State, Cancel));
        Assert.Equal(Domain.Arrangements.ArrangementState.Active, arrangements[settled]);
        Assert.Equal(Domain.Arrangements.ArrangementState.Broken, arrangements[promised]);
        var statuses = await app.WithDbAsync(db => db.Accounts.ToDictionaryAsync(a => a.Id, a => a.Status, Cancel));
        Assert.Equal((AccountStatus.InArrangement, AccountStatus.Active), (statuses[settled], statuses[promised]));
        Assert.Equal(promised, (await app.WithDbAsync(db => db.Tasks.SingleAsync(t => t.Kind == WorkTaskKind.BrokenPromise, Cancel))).AccountId);
        Assert.True(await app.WithDbAsync(db => db.Interactions.AnyAsync(i => i.AccountId == settled && i.Notes!.Contains("open again"), Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_settlement_in_instalments_writes_off_nothing_until_every_payment_is_made_and_breaks_when_one_is_missed(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var admin = await app.ClientAsAsync(Roles.Admin);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var policy = System.Text.Json.Nodes.JsonNode.Parse((await (await admin.GetAsync("/api/v1/creditors/ACME/policy", Cancel)).JsonAsync()).GetProperty("policy").GetRawText())!;
        policy["settlement"] = System.Text.Json.Nodes.JsonNode.Parse("""{"allowed": true, "byDaysPastDue": [{"from": 30, "maxDiscountBasisPoints": 2000}], "byBalanceMinor": [], "payWithinDays": 60}""");
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/v1/creditors/ACME/policy", policy, Cancel)).StatusCode);

        var proposed = await agent.SendAsync(Propose(accountId, new { kind = "settlement", total = "560.00", firstPaymentOn = "2026-03-05", frequency = "monthly", instalments = 2 }, "s-1"), Cancel);
        var (_, other) = await RecordsSeed.AccountAsync(app, agent, "ACC-2", "D-2");
        var tooLong = await agent.SendAsync(Propose(other, new { kind = "settlement", total = "560.00", firstPaymentOn = "2026-03-05", frequency = "monthly", instalments = 3 }, "s-2"), Cancel);
        var payment = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{accountId}/payments") { Content = JsonContent.Create(new { amount = "280.00", paidOn = "2026-03-02" }) };
        payment.Headers.Add("Idempotency-Key", "pay-1");
        Assert.Equal(HttpStatusCode.Created, (await agent.SendAsync(payment, Cancel)).StatusCode);
        var afterFirst = await app.WithDbAsync(db => db.Arrangements.Select(a => a.State).SingleAsync(Cancel));
        await Evaluate(app, new LocalDate(2026, 4, 10)); // the second payment, due 5 April, is missed after the grace days

        Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
        var body = await proposed.JsonAsync();
        Assert.Equal(("active", "monthly"), (body.GetProperty("state").GetString(), body.GetProperty("frequency").GetString()));
        Assert.Equal(["280.00", "280.00"], body.GetProperty("instalments").EnumerateArray().Select(i => i.GetProperty("amount").GetProperty("amount").GetString()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode); // its last payment, 5 May, is past the 60 days
        Assert.Equal("settlement-date", (await tooLong.JsonAsync()).GetProperty("findings")[0].GetProperty("limit").GetString());
        Assert.Equal(Domain.Arrangements.ArrangementState.Active, afterFirst);
        Assert.Equal(Domain.Arrangements.ArrangementState.Broken, await app.WithDbAsync(db => db.Arrangements.Select(a => a.State).SingleAsync(Cancel)));
        Assert.False(await app.WithDbAsync(db => db.Ledger.AnyAsync(e => e.Kind == Domain.Ledger.LedgerEntryKind.SettlementDiscount, Cancel)));
        var notes = await app.WithDbAsync(db => db.Interactions.Select(i => i.Notes).ToListAsync(Cancel));
        Assert.Contains(notes, n => n!.Contains("Settlement of $560.00 in 2 monthly payments", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_payment_file_keeps_a_promise_as_a_single_payment_does(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        Assert.Equal(HttpStatusCode.Created, (await agent.SendAsync(Propose(accountId, new { kind = "promise", firstPaymentOn = "2026-03-10" }, "k"), Cancel)).StatusCode);

        var report = await Imports.ImportKit.PaymentsAsync(app, Imports.ImportKit.Csv(Imports.ImportKit.PaymentHeader, "ACC-1,612.40,USD,2026-03-02,card,R-1"));

        Assert.True(report.Applied);
        Assert.Equal(Domain.Arrangements.ArrangementState.Kept, await app.WithDbAsync(db => db.Arrangements.Select(a => a.State).SingleAsync(Cancel)));
        Assert.Equal(AccountStatus.Paid, await app.WithDbAsync(db => db.Accounts.Select(a => a.Status).SingleAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Concurrent_payments_on_one_plan_are_all_posted_once_and_complete_it(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var plan = await agent.SendAsync(Propose(accountId, new { kind = "plan", firstPaymentOn = "2026-03-09", frequency = "monthly", instalments = 4 }, "plan"), Cancel);
        Assert.Equal("active", (await plan.JsonAsync()).GetProperty("state").GetString());

        // 612.40 in four payments of 153.10, sent at the same moment with different keys.
        var responses = await Task.WhenAll(Enumerable.Range(1, 4).Select(i =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{accountId}/payments")
            {
                Content = JsonContent.Create(new { amount = "153.10", paidOn = "2026-03-02" }),
            };
            request.Headers.Add("Idempotency-Key", $"burst-{i}");
            return agent.SendAsync(request, Cancel);
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ledger = await app.WithDbAsync(db => db.Ledger.Where(e => e.AccountId == accountId).ToListAsync(Cancel));
        Assert.Equal(4, ledger.Count(e => e.Kind == Domain.Ledger.LedgerEntryKind.Payment));
        Assert.Equal(0, ledger.Sum(e => e.Fees));
        Assert.Equal(0, ledger.Sum(e => e.Interest));
        Assert.Equal(0, ledger.Sum(e => e.Principal));
        Assert.Equal(Domain.Arrangements.ArrangementState.Completed, await app.WithDbAsync(db => db.Arrangements.Select(a => a.State).SingleAsync(Cancel)));
    }

    private static Task<Dunwell.Features.Arrangements.EvaluationSummary> Evaluate(TestApp app, LocalDate date) =>
        app.WithDbAsync(db => Dunwell.Features.Arrangements.EvaluateArrangements.RunAsync(db, date, null, "test", app.Now, Cancel));
}
