using System.Net;
using System.Net.Http.Json;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Ledger;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Dunwell.Web;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Payments;

public sealed class PaymentApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 15, 0);

    private static readonly object Payment = new { amount = "150.00", currency = "USD", paidOn = "2026-03-01", method = "card", reference = "PAY-77" };

    private static HttpRequestMessage Post(long accountId, object body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{accountId}/payments") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return request;
    }

    private static Task<int> PaymentRowsAsync(TestApp app) =>
        app.WithDbAsync(db => db.Ledger.CountAsync(e => e.Kind == LedgerEntryKind.Payment, Cancel));

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_payment_goes_to_fees_then_interest_then_principal_and_answers_with_the_new_balance(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);

        var response = await agent.SendAsync(Post(accountId, Payment, "pay-1"), Cancel);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        var entryId = body.GetProperty("entryId").GetInt64();
        Assert.Equal($"/api/v1/accounts/{accountId}/ledger/{entryId}", response.Headers.Location?.ToString());
        Assert.Equal("""{"currency":"USD","amount":"150.00"}""", body.GetProperty("amount").GetRawText());
        Assert.Equal("""{"currency":"USD","total":"150.00","principal":"37.60","interest":"12.40","fees":"100.00"}""", body.GetProperty("allocation").GetRawText());
        Assert.Equal("""{"currency":"USD","total":"462.40","principal":"462.40","interest":"0.00","fees":"0.00"}""", body.GetProperty("balance").GetRawText());
        Assert.Equal("2026-03-01", body.GetProperty("paidOn").GetString());
        var entry = await (await agent.GetAsync($"/api/v1/accounts/{accountId}/ledger/{entryId}", Cancel)).JsonAsync();
        Assert.Equal("""{"currency":"USD","total":"-150.00","principal":"-37.60","interest":"-12.40","fees":"-100.00"}""", entry.GetProperty("amount").GetRawText());
        Assert.Equal(1, await app.WithDbAsync(db => db.AuditEvents.CountAsync(a => a.Action == "payment.create" && a.Subject == $"account:{accountId}", Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_retry_with_the_same_key_replays_the_first_answer_and_posts_once(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);

        var first = await agent.SendAsync(Post(accountId, Payment, "pay-1"), Cancel);
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        var retry = await agent.SendAsync(Post(accountId, Payment, "pay-1"), Cancel);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(Cancel), await retry.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotent-Replayed")));
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await PaymentRowsAsync(app));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_same_key_with_another_body_is_refused_and_a_missing_key_is_named(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        await agent.SendAsync(Post(accountId, Payment, "pay-1"), Cancel);

        var otherBody = await agent.SendAsync(Post(accountId, new { amount = "15.00", paidOn = "2026-03-01" }, "pay-1"), Cancel);
        var noKey = await agent.SendAsync(Post(accountId, Payment, key: null), Cancel);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherBody.StatusCode);
        Assert.Equal("Idempotency-Key", (await otherBody.JsonAsync()).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
        Assert.Equal(["Idempotency-Key"], (await noKey.JsonAsync()).ErrorFields());
        Assert.Equal(1, await PaymentRowsAsync(app));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Concurrent_duplicates_post_once_and_the_others_are_refused_or_replayed(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => agent.SendAsync(Post(accountId, Payment, "pay-burst"), Cancel)));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created && !r.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await PaymentRowsAsync(app));
        var bodies = await Task.WhenAll(responses.Where(r => r.StatusCode == HttpStatusCode.Created).Select(r => r.Content.ReadAsStringAsync(Cancel)));
        Assert.Single(bodies.Distinct());

        var afterwards = await agent.SendAsync(Post(accountId, Payment, "pay-burst"), Cancel);
        Assert.Equal(HttpStatusCode.Created, afterwards.StatusCode);
        Assert.Equal(bodies[0], await afterwards.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(1, await PaymentRowsAsync(app));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_duplicate_sent_while_the_first_is_in_flight_gets_409_and_a_key_abandoned_by_a_crash_is_taken_over(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        // No reference: a reference posts once whatever the key, and this is about the key.
        var payment = new { amount = "150.00", currency = "USD", paidOn = "2026-03-01", method = "card" };
        Assert.Equal(HttpStatusCode.Created, (await agent.SendAsync(Post(accountId, payment, "learn-hash"), Cancel)).StatusCode);

        // A request with key "held" that is still running: its InFlight row, for the same body, as the filter leaves it.
        await app.WithDbAsync(async db =>
        {
            var hash = await db.IdempotencyRecords.Select(r => r.RequestHash).SingleAsync(Cancel);
            var keyName = await db.ApiKeys.Select(k => k.Name).SingleAsync(Cancel);
            db.IdempotencyRecords.Add(new IdempotencyRecord
            {
                Key = Idempotency.Scope($"apikey:{keyName}", "POST", $"/api/v1/accounts/{accountId}/payments", "held"),
                RequestHash = hash,
                State = IdempotencyState.InFlight,
                CreatedAt = app.Now,
            });
            await db.SaveChangesAsync(Cancel);
        });

        var whileInFlight = await agent.SendAsync(Post(accountId, payment, "held"), Cancel);
        app.Clock.Advance(TimeSpan.FromMinutes(6));
        var afterTheCrash = await agent.SendAsync(Post(accountId, payment, "held"), Cancel);

        Assert.Equal(HttpStatusCode.Conflict, whileInFlight.StatusCode);
        Assert.Equal("Idempotency-Key", (await whileInFlight.JsonAsync()).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.Created, afterTheCrash.StatusCode);
        Assert.Equal(2, await PaymentRowsAsync(app));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_refused_payment_releases_its_key_so_the_corrected_request_can_use_it(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);

        var refused = await agent.SendAsync(Post(accountId, new { amount = "12.345", currency = "EUR", paidOn = "2026-03-01" }, "pay-1"), Cancel);
        var corrected = await agent.SendAsync(Post(accountId, Payment, "pay-1"), Cancel);
        var unknownAccount = await agent.SendAsync(Post(999_999, Payment, "pay-2"), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(["amount", "currency"], (await refused.JsonAsync()).ErrorFields().Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownAccount.StatusCode);
        Assert.Equal(1, await PaymentRowsAsync(app));
        Assert.Equal(1, await app.WithDbAsync(db => db.IdempotencyRecords.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_request_that_fails_with_an_exception_releases_its_key_and_writes_nothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var keyName = await app.WithDbAsync(db => db.ApiKeys.Select(k => k.Name).SingleAsync(Cancel));

        // Plant a ledger row holding the ledger key this request will use, so its save fails on the unique index mid-request.
        var scope = Dunwell.Web.Idempotency.Scope($"apikey:{keyName}", "POST", $"/api/v1/accounts/{accountId}/payments", "pay-doomed");
        var ledgerKey = "api:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(scope)));
        await app.WithDbAsync(async db =>
        {
            db.Ledger.Add(new Dunwell.Data.LedgerEntry
            {
                AccountId = accountId,
                Kind = LedgerEntryKind.Adjustment,
                Currency = "USD",
                ValueDate = new LocalDate(2026, 3, 1),
                PostedAt = Now,
                PostedBy = "test",
                IdempotencyKey = ledgerKey,
            });
            await db.SaveChangesAsync(Cancel);
        });

        var failed = await agent.SendAsync(Post(accountId, Payment, "pay-doomed"), Cancel);

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.IdempotencyRecords.CountAsync(Cancel)));
        Assert.Equal(0, await PaymentRowsAsync(app));
        Assert.Equal(0, await app.WithDbAsync(db => db.AuditEvents.CountAsync(a => a.Action == "payment.create", Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_supervisor_reverses_a_payment_once_with_a_new_entry_naming_it(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var supervisor = await app.ClientAsAsync(Roles.Supervisor);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var paid = await (await agent.SendAsync(Post(accountId, new { amount = "612.40", paidOn = "2026-03-01" }, "pay-all"), Cancel)).JsonAsync();
        var paymentId = paid.GetProperty("entryId").GetInt64();
        var reversalUrl = $"/api/v1/accounts/{accountId}/ledger/{paymentId}/reversal";

        var byAgent = await agent.PostAsJsonAsync(reversalUrl, new { reason = "Card charged back" }, Cancel);
        var noReason = await supervisor.PostAsJsonAsync(reversalUrl, new { reason = "" }, Cancel);
        var reversed = await supervisor.PostAsJsonAsync(reversalUrl, new { reason = "Card charged back" }, Cancel);
        var twice = await supervisor.PostAsJsonAsync(reversalUrl, new { reason = "Again" }, Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, byAgent.StatusCode);
        Assert.Equal(["reason"], (await noReason.JsonAsync()).ErrorFields());
        Assert.Equal(HttpStatusCode.Created, reversed.StatusCode);
        var body = await reversed.JsonAsync();
        Assert.Equal("reversal", body.GetProperty("reversal").GetProperty("kind").GetString());
        Assert.Equal(paymentId, body.GetProperty("reversal").GetProperty("reversesEntryId").GetInt64());
        Assert.Equal("612.40", body.GetProperty("reversal").GetProperty("amount").GetProperty("total").GetString());
        Assert.Equal("612.40", body.GetProperty("balance").GetProperty("total").GetString());
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);

        var account = await (await agent.GetAsync($"/api/v1/accounts/{accountId}", Cancel)).JsonAsync();
        Assert.Equal("active", account.GetProperty("status").GetString());
        var payment = account.GetProperty("ledger").EnumerateArray().Single(e => e.GetProperty("id").GetInt64() == paymentId);
        Assert.Equal(body.GetProperty("reversal").GetProperty("id").GetInt64(), payment.GetProperty("reversedByEntryId").GetInt64());
        Assert.Equal("-612.40", payment.GetProperty("amount").GetProperty("total").GetString());
        Assert.Equal(3, await app.WithDbAsync(db => db.Ledger.CountAsync(Cancel)));
    }
}
