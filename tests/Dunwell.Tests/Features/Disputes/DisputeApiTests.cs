using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Dunwell.Web;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Disputes;

/// <summary>Disputes are recorded whole or in part, hold the account while the whole debt is disputed, and release it when verified.</summary>
public sealed class DisputeApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // 16:00 UTC is 11:00 in New York on 2026-03-02; the seeded account owes 612.40 USD.
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 16, 0);

    private static HttpRequestMessage Post(string url, object body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return request;
    }

    private static Task<HttpResponseMessage> DisputeAsync(HttpClient client, long accountId, object body, string? key = "d-1") =>
        client.SendAsync(Post($"/api/v1/accounts/{accountId}/disputes", body, key), Cancel);

    private static Task<HttpResponseMessage> VerifyAsync(HttpClient client, long accountId, long disputeId, object body) =>
        client.PostAsJsonAsync($"/api/v1/accounts/{accountId}/disputes/{disputeId}/verification", body, Cancel);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_whole_debt_dispute_holds_the_account_until_verification_is_sent(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);

        var recorded = await DisputeAsync(agent, accountId, new { receivedAt = "2026-03-02T09:15:00-05:00", written = true, note = "Says the meter was estimated" });

        Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
        var body = await recorded.JsonAsync();
        var dispute = body.GetProperty("dispute");
        var disputeId = dispute.GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/accounts/{accountId}/disputes/{disputeId}", recorded.Headers.Location?.ToString());
        Assert.Equal("disputed", body.GetProperty("accountStatus").GetString());
        Assert.Equal("2026-03-02T14:15:00+00:00", dispute.GetProperty("receivedAt").GetString());
        Assert.True(dispute.GetProperty("wholeDebt").GetBoolean());
        Assert.Equal(JsonValueKind.Null, dispute.GetProperty("amount").ValueKind);
        Assert.True(dispute.GetProperty("open").GetBoolean());

        var account = await (await agent.GetAsync($"/api/v1/accounts/{accountId}", Cancel)).JsonAsync();
        Assert.Equal("disputed", account.GetProperty("status").GetString());
        var summary = account.GetProperty("disputes");
        Assert.Equal((1, 0, true), (summary.GetProperty("open").GetInt32(), summary.GetProperty("verified").GetInt32(), summary.GetProperty("wholeDebtOpen").GetBoolean()));
        Assert.Equal("612.40", summary.GetProperty("openAmount").GetProperty("amount").GetString());
        Assert.True(summary.GetProperty("items")[0].GetProperty("written").GetBoolean());
        var note = Assert.Single(account.GetProperty("interactions").EnumerateArray());
        Assert.Equal("dispute", note.GetProperty("outcome").GetString());
        Assert.Contains("Dispute of the whole debt received in writing on Mon 2 Mar 2026, 09:15 EST", note.GetProperty("notes").GetString(), StringComparison.Ordinal);

        var early = await VerifyAsync(agent, accountId, disputeId, new { sentAt = "2026-03-02T14:00:00Z" });
        var verified = await VerifyAsync(agent, accountId, disputeId, new { sentAt = "2026-03-02T15:30:00Z", note = "Meter photo and bill sent" });
        var again = await VerifyAsync(agent, accountId, disputeId, new { sentAt = "2026-03-02T15:45:00Z" });

        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Equal(["sentAt"], (await early.JsonAsync()).ErrorFields());
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        var after = await verified.JsonAsync();
        Assert.Equal("active", after.GetProperty("accountStatus").GetString());
        Assert.Equal("2026-03-02T15:30:00+00:00", after.GetProperty("dispute").GetProperty("verifiedAt").GetString());
        Assert.StartsWith("apikey:", after.GetProperty("dispute").GetProperty("verifiedBy").GetString(), StringComparison.Ordinal);
        Assert.False(after.GetProperty("dispute").GetProperty("open").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(AccountStatus.Active, await app.WithDbAsync(db => db.Accounts.Select(a => a.Status).SingleAsync(Cancel)));
        var actions = await app.WithDbAsync(db => db.AuditEvents.Where(e => e.Action.StartsWith("dispute.")).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync(Cancel));
        Assert.Equal([AuditLog.Actions.DisputeCreate, AuditLog.Actions.DisputeVerify], actions);
        var notes = await app.WithDbAsync(db => db.Interactions.OrderBy(i => i.Id).Select(i => i.Notes).ToListAsync(Cancel));
        Assert.Equal(2, notes.Count);
        Assert.Contains("the account is active again. Meter photo and bill sent", notes[1], StringComparison.Ordinal);

        var list = await (await agent.GetAsync($"/api/v1/accounts/{accountId}/disputes", Cancel)).JsonAsync();
        Assert.Equal((0, 1), (list.GetProperty("open").GetInt32(), list.GetProperty("verified").GetInt32()));
        Assert.Equal("0.00", list.GetProperty("openAmount").GetProperty("amount").GetString());
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync($"/api/v1/accounts/{accountId}/disputes/{disputeId}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/api/v1/accounts/{accountId}/disputes/999999", Cancel)).StatusCode);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_account_in_arrangement_goes_back_to_it_only_when_no_dispute_is_left_open(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var promise = await agent.SendAsync(Post($"/api/v1/accounts/{accountId}/arrangements", new { kind = "promise", firstPaymentOn = "2026-03-12" }, "p-1"), Cancel);
        Assert.Equal(HttpStatusCode.Created, promise.StatusCode);

        var part = await (await DisputeAsync(agent, accountId, new { receivedAt = "2026-03-01T15:00:00Z", written = false, amount = "100.00" }, "part")).JsonAsync();
        var whole = await (await DisputeAsync(agent, accountId, new { receivedAt = "2026-03-02T15:00:00Z", written = true }, "whole")).JsonAsync();

        Assert.Equal("inArrangement", part.GetProperty("accountStatus").GetString());
        Assert.Equal("100.00", part.GetProperty("dispute").GetProperty("amount").GetProperty("amount").GetString());
        Assert.False(part.GetProperty("dispute").GetProperty("wholeDebt").GetBoolean());
        Assert.Equal("disputed", whole.GetProperty("accountStatus").GetString());
        var partId = part.GetProperty("dispute").GetProperty("id").GetInt64();
        var wholeId = whole.GetProperty("dispute").GetProperty("id").GetInt64();

        var first = await VerifyAsync(agent, accountId, wholeId, new { sentAt = "2026-03-02T15:30:00Z" });
        Assert.Equal("disputed", (await first.JsonAsync()).GetProperty("accountStatus").GetString());
        var summary = (await (await agent.GetAsync($"/api/v1/accounts/{accountId}", Cancel)).JsonAsync()).GetProperty("disputes");
        Assert.Equal((1, false, "100.00"), (summary.GetProperty("open").GetInt32(), summary.GetProperty("wholeDebtOpen").GetBoolean(),
            summary.GetProperty("openAmount").GetProperty("amount").GetString()));

        var second = await VerifyAsync(agent, accountId, partId, new { sentAt = "2026-03-02T15:30:00Z" });
        Assert.Equal("inArrangement", (await second.JsonAsync()).GetProperty("accountStatus").GetString());
        Assert.Equal(AccountStatus.InArrangement, await app.WithDbAsync(db => db.Accounts.Select(a => a.Status).SingleAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_retry_with_the_same_key_replays_the_first_answer_and_records_one_dispute(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var body = new { receivedAt = "2026-03-02T15:00:00Z", written = true, amount = "50.00" };

        var first = await DisputeAsync(agent, accountId, body, "same");
        var retry = await DisputeAsync(agent, accountId, body, "same");
        var otherBody = await DisputeAsync(agent, accountId, new { receivedAt = "2026-03-02T15:00:00Z", written = false }, "same");
        var noKey = await DisputeAsync(agent, accountId, body, key: null);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotent-Replayed")));
        var firstId = (await first.JsonAsync()).GetProperty("dispute").GetProperty("id").GetInt64();
        Assert.Equal(firstId, (await retry.JsonAsync()).GetProperty("dispute").GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherBody.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
        Assert.Equal(["Idempotency-Key"], (await noKey.JsonAsync()).ErrorFields());
        Assert.Equal(1, await app.WithDbAsync(db => db.Disputes.CountAsync(Cancel)));
        Assert.Equal(1, await app.WithDbAsync(db => db.Interactions.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Bad_disputes_name_their_fields_and_nothing_is_recorded(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);

        var everything = await DisputeAsync(agent, accountId, new { receivedAt = "2026-03-02T16:00:01Z", amount = "612.41", note = new string('x', 1001) }, "bad-1");
        var missing = await DisputeAsync(agent, accountId, new { amount = "0.00", written = true }, "bad-2");
        var digits = await DisputeAsync(agent, accountId, new { receivedAt = "2026-03-02T09:00:00Z", written = true, amount = "1.005" }, "bad-3");
        var notInstant = await DisputeAsync(agent, accountId, new { receivedAt = "yesterday", written = true }, "bad-4");
        var noAccount = await DisputeAsync(agent, 999_999, new { receivedAt = "2026-03-02T09:00:00Z", written = true }, "bad-5");
        var noDispute = await VerifyAsync(agent, accountId, 999_999, new { sentAt = "2026-03-02T09:00:00Z" });

        Assert.Equal(HttpStatusCode.BadRequest, everything.StatusCode);
        Assert.Equal(["amount", "note", "receivedAt", "written"], (await everything.JsonAsync()).ErrorFields().Order(StringComparer.Ordinal));
        Assert.Equal(["amount", "receivedAt"], (await missing.JsonAsync()).ErrorFields().Order(StringComparer.Ordinal));
        Assert.Equal(["amount"], (await digits.JsonAsync()).ErrorFields());
        Assert.Equal(["receivedAt"], (await notInstant.JsonAsync()).ErrorFields());
        Assert.Equal(HttpStatusCode.NotFound, noAccount.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noDispute.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Disputes.CountAsync(Cancel)));
        Assert.Equal(AccountStatus.Active, await app.WithDbAsync(db => db.Accounts.Select(a => a.Status).SingleAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_auditor_reads_disputes_under_audit_but_cannot_record_or_verify_them(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var auditor = await app.ClientAsAsync(Roles.Auditor);
        var (debtorId, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var disputeId = (await (await DisputeAsync(agent, accountId, new { receivedAt = "2026-03-02T15:00:00Z", written = true })).JsonAsync())
            .GetProperty("dispute").GetProperty("id").GetInt64();

        var record = await DisputeAsync(auditor, accountId, new { receivedAt = "2026-03-02T15:00:00Z", written = true }, "auditor");
        var verify = await VerifyAsync(auditor, accountId, disputeId, new { sentAt = "2026-03-02T15:30:00Z" });
        var read = await auditor.GetAsync($"/api/v1/accounts/{accountId}/disputes", Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, record.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, verify.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(1, (await read.JsonAsync()).GetProperty("open").GetInt32());
        Assert.Equal(1, await app.WithDbAsync(db => db.Disputes.CountAsync(Cancel)));
        Assert.True(await app.WithDbAsync(db => db.AuditEvents.AnyAsync(
            e => e.Action == AuditLog.Actions.DisputeRead && e.Subject == $"debtor:{debtorId}" && e.Actor.StartsWith("apikey:test-auditor"), Cancel)));
    }
}
