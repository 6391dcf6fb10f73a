using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Dunwell.Web;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Accounts;

/// <summary>PATCH /accounts/{id}: the limitation date and the validation notice, merge-patch style.</summary>
public sealed class AccountFactsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // 16:00 UTC is 11:00 in New York: the creditor's today is 2026-03-02.
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 16, 0);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_limitation_date_and_validation_notice_are_recorded_read_back_and_cleared_one_by_one(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);

        var patched = await agent.PatchAsJsonAsync($"/api/v1/accounts/{accountId}", new
        {
            limitationDate = "2031-01-15",
            validationNoticeSentAt = "2026-02-10T09:00:00-05:00",
            validationPeriodEnd = "2026-03-20",
        }, Cancel);

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var account = await patched.JsonAsync();
        Assert.Equal("2031-01-15", account.GetProperty("limitationDate").GetString());
        Assert.False(account.GetProperty("timeBarred").GetBoolean());
        Assert.Equal("2026-02-10T14:00:00+00:00", account.GetProperty("validationNoticeSentAt").GetString());
        Assert.Equal("2026-03-20", account.GetProperty("validationPeriodEnd").GetString());
        Assert.Equal("612.40", account.GetProperty("balance").GetProperty("total").GetString());
        Assert.Equal(0, account.GetProperty("disputes").GetProperty("open").GetInt32());

        var barred = await (await agent.PatchAsJsonAsync($"/api/v1/accounts/{accountId}", new { limitationDate = "2026-03-02" }, Cancel)).JsonAsync();
        Assert.True(barred.GetProperty("timeBarred").GetBoolean());
        Assert.Equal("2026-03-20", barred.GetProperty("validationPeriodEnd").GetString());

        var cleared = await agent.PatchAsJsonAsync($"/api/v1/accounts/{accountId}", new { validationPeriodEnd = (string?)null, limitationDate = (string?)null }, Cancel);
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        var read = await (await agent.GetAsync($"/api/v1/accounts/{accountId}", Cancel)).JsonAsync();
        Assert.Equal(JsonValueKind.Null, read.GetProperty("limitationDate").ValueKind);
        Assert.False(read.GetProperty("timeBarred").GetBoolean());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("validationPeriodEnd").ValueKind);
        Assert.Equal("2026-02-10T14:00:00+00:00", read.GetProperty("validationNoticeSentAt").GetString());
        var saved = await app.WithDbAsync(db => db.Accounts.SingleAsync(Cancel));
        Assert.Equal(((LocalDate?)null, (Instant?)Instant.FromUtc(2026, 2, 10, 14, 0), (LocalDate?)null), (saved.LimitationDate, saved.ValidationNoticeSentAt, saved.ValidationPeriodEnd));
        Assert.Equal(3, await app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditLog.Actions.AccountUpdate, Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_bad_account_patch_names_its_fields_and_changes_nothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var auditor = await app.ClientAsAsync(Roles.Auditor);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var url = $"/api/v1/accounts/{accountId}";

        var unknown = await agent.PatchAsJsonAsync(url, new { limitationDate = "2031-01-15", status = "paid", nmae = "typo" }, Cancel);
        var endWithoutNotice = await agent.PatchAsJsonAsync(url, new { validationPeriodEnd = "2026-04-01" }, Cancel);
        var future = await agent.PatchAsJsonAsync(url, new { validationNoticeSentAt = "2026-03-02T16:00:01Z" }, Cancel);
        var notADate = await agent.PatchAsJsonAsync(url, new { limitationDate = "2026-13-01" }, Cancel);
        var missing = await agent.PatchAsJsonAsync("/api/v1/accounts/999999", new { limitationDate = "2031-01-15" }, Cancel);
        var byAuditor = await auditor.PatchAsJsonAsync(url, new { limitationDate = "2031-01-15" }, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(["nmae", "status"], (await unknown.JsonAsync()).ErrorFields().Order(StringComparer.Ordinal));
        Assert.Equal(["validationPeriodEnd"], (await endWithoutNotice.JsonAsync()).ErrorFields());
        Assert.Equal(["validationNoticeSentAt"], (await future.JsonAsync()).ErrorFields());
        var dateProblem = await notADate.JsonAsync();
        Assert.Equal(["limitationDate"], dateProblem.ErrorFields());
        Assert.Equal("'2026-13-01' is not a date like 2026-03-31.", dateProblem.GetProperty("errors").GetProperty("limitationDate")[0].GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byAuditor.StatusCode);

        // Sent on 10 February in New York: a period cannot end on the 9th, and the notice cannot be cleared from under its period end.
        Assert.Equal(HttpStatusCode.OK, (await agent.PatchAsJsonAsync(url, new { validationNoticeSentAt = "2026-02-10T23:30:00-05:00", validationPeriodEnd = "2026-03-20" }, Cancel)).StatusCode);
        var endsBeforeSent = await agent.PatchAsJsonAsync(url, new { validationPeriodEnd = "2026-02-09" }, Cancel);
        var noticeCleared = await agent.PatchAsJsonAsync(url, new { validationNoticeSentAt = (string?)null }, Cancel);

        Assert.Equal(["validationPeriodEnd"], (await endsBeforeSent.JsonAsync()).ErrorFields());
        Assert.Equal(["validationNoticeSentAt"], (await noticeCleared.JsonAsync()).ErrorFields());
        var saved = await app.WithDbAsync(db => db.Accounts.SingleAsync(Cancel));
        Assert.Equal(((LocalDate?)null, (Instant?)Instant.FromUtc(2026, 2, 11, 4, 30), (LocalDate?)new LocalDate(2026, 3, 20)), (saved.LimitationDate, saved.ValidationNoticeSentAt, saved.ValidationPeriodEnd));
        Assert.Equal(AccountStatus.Active, saved.Status);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_us_consumer_validation_period_cannot_end_before_regulation_f_says(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var url = $"/api/v1/accounts/{accountId}";

        // Mailed Monday 2 March 2026: assumed received five business days later, on 9 March; the period ends 30 days after, on 8 April.
        var tooEarly = await agent.PatchAsJsonAsync(url, new { validationNoticeSentAt = "2026-03-02T09:00:00-05:00", validationPeriodEnd = "2026-04-07" }, Cancel);
        var onTheDay = await agent.PatchAsJsonAsync(url, new { validationNoticeSentAt = "2026-03-02T09:00:00-05:00", validationPeriodEnd = "2026-04-08" }, Cancel);
        var later = await agent.PatchAsJsonAsync(url, new { validationPeriodEnd = "2026-04-15" }, Cancel);
        var movedEarlier = await agent.PatchAsJsonAsync(url, new { validationPeriodEnd = "2026-03-31" }, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, tooEarly.StatusCode);
        var problem = await tooEarly.JsonAsync();
        Assert.Equal(["validationPeriodEnd"], problem.ErrorFields());
        var message = problem.GetProperty("errors").GetProperty("validationPeriodEnd")[0].GetString();
        Assert.Contains("no earlier than 2026-04-08", message, StringComparison.Ordinal);
        Assert.Contains("1006.34(b)(5)", message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, onTheDay.StatusCode);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode); // a collector may give the consumer longer
        Assert.Equal(["validationPeriodEnd"], (await movedEarlier.JsonAsync()).ErrorFields());
        Assert.Equal(new LocalDate(2026, 4, 15), await app.WithDbAsync(db => db.Accounts.Select(a => a.ValidationPeriodEnd).SingleAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_commercial_invoice_is_not_held_to_the_regulation_f_validation_period(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        await RecordsSeed.CreditorAsync(app);
        var debtorId = await RecordsSeed.PostDebtorAsync(agent, new { reference = "CO-1", kind = "company", name = "Buyer Inc", country = "US" });
        var accountId = await RecordsSeed.PostAccountAsync(agent, new
        {
            reference = "INV-1",
            creditorReference = "ACME",
            debtorId,
            kind = "commercial",
            currency = "USD",
            principal = "900.00",
            dueDate = "2026-01-15",
        });

        var patched = await agent.PatchAsJsonAsync($"/api/v1/accounts/{accountId}", new { validationNoticeSentAt = "2026-03-02T09:00:00-05:00", validationPeriodEnd = "2026-03-10" }, Cancel);

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
    }
}
