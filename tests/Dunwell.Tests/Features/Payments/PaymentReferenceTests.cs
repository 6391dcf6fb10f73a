using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dunwell.Data;
using Dunwell.Domain.Ledger;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Dunwell.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using static Dunwell.Tests.Features.Imports.ImportKit;

namespace Dunwell.Tests.Features.Payments;

/// <summary>A payment reference posts once per creditor, through the API, the page and payment files alike, whatever the Idempotency-Key.</summary>
public sealed class PaymentReferenceTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 15, 0);

    private static readonly object Payment = new { amount = "50.00", currency = "USD", paidOn = "2026-03-01", method = "card", reference = "PAY-77" };

    private static HttpRequestMessage Post(long accountId, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{accountId}/payments") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private static Task<int> PaymentRowsAsync(TestApp app) =>
        app.WithDbAsync(db => db.Ledger.CountAsync(e => e.Kind == LedgerEntryKind.Payment, Cancel));

    private static void AssertNamesHolder(JsonElement problem, long entryId, string accountReference, string paidOn)
    {
        Assert.Equal("reference", problem.GetProperty("field").GetString());
        Assert.Equal(entryId, problem.GetProperty("entryId").GetInt64());
        Assert.Equal(accountReference, problem.GetProperty("accountReference").GetString());
        Assert.Equal(paidOn, problem.GetProperty("paidOn").GetString());
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains($"entry {entryId}", detail, StringComparison.Ordinal);
        Assert.Contains(accountReference, detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_reference_posted_again_under_another_key_is_refused_naming_the_entry_that_holds_it(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var (_, otherAccountId) = await RecordsSeed.AccountAsync(app, agent, "ACC-2", "D-2");

        var first = await agent.SendAsync(Post(accountId, Payment, "key-1"), Cancel);
        var sameAccount = await agent.SendAsync(Post(accountId, Payment, "key-2"), Cancel);
        var otherAccount = await agent.SendAsync(Post(otherAccountId, Payment, "key-3"), Cancel);
        var replay = await agent.SendAsync(Post(accountId, Payment, "key-1"), Cancel);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var entryId = (await first.JsonAsync()).GetProperty("entryId").GetInt64();
        Assert.Equal(HttpStatusCode.Conflict, sameAccount.StatusCode);
        AssertNamesHolder(await sameAccount.JsonAsync(), entryId, "ACC-1", "2026-03-01");
        Assert.Equal(HttpStatusCode.Conflict, otherAccount.StatusCode);
        AssertNamesHolder(await otherAccount.JsonAsync(), entryId, "ACC-1", "2026-03-01");
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal(1, await PaymentRowsAsync(app));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_same_reference_is_free_for_another_creditor_and_stays_taken_after_a_reversal(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var supervisor = await app.ClientAsAsync(Roles.Supervisor);
        var (debtorId, accountId) = await RecordsSeed.AccountAsync(app, agent);
        await RecordsSeed.CreditorAsync(app, "GLOBEX");
        var globexDebtorId = await RecordsSeed.PostDebtorAsync(agent, new { reference = "GD-1", kind = "person", name = "Sam Roe", country = "US", creditorReference = "GLOBEX" });
        var globexAccountId = await RecordsSeed.PostAccountAsync(agent, new
        {
            reference = "G-1",
            creditorReference = "GLOBEX",
            debtorId = globexDebtorId,
            kind = "consumer",
            currency = "USD",
            principal = "300.00",
            dueDate = "2026-01-15",
        });

        var acme = await agent.SendAsync(Post(accountId, Payment, "key-1"), Cancel);
        var globex = await agent.SendAsync(Post(globexAccountId, Payment, "key-2"), Cancel);
        var entryId = (await acme.JsonAsync()).GetProperty("entryId").GetInt64();
        var reversed = await supervisor.PostAsJsonAsync($"/api/v1/accounts/{accountId}/ledger/{entryId}/reversal", new { reason = "Card charged back" }, Cancel);
        var again = await agent.SendAsync(Post(accountId, Payment, "key-3"), Cancel);

        Assert.Equal(HttpStatusCode.Created, acme.StatusCode);
        Assert.Equal(HttpStatusCode.Created, globex.StatusCode);
        Assert.Equal(HttpStatusCode.Created, reversed.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        AssertNamesHolder(await again.JsonAsync(), entryId, "ACC-1", "2026-03-01");
        Assert.True(debtorId > 0);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Fifty_concurrent_posts_of_one_reference_under_fifty_keys_give_one_entry_and_49_conflicts(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        var (_, otherAccountId) = await RecordsSeed.AccountAsync(app, agent, "ACC-2", "D-2");

        // Half to each of two accounts of the creditor, so the account lock alone cannot be what serialises them.
        var responses = await Task.WhenAll(Enumerable.Range(0, 50)
            .Select(i => Task.Run(() => agent.SendAsync(Post(i % 2 == 0 ? accountId : otherAccountId, Payment, $"burst-{i}"), Cancel), Cancel)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(49, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(1, await PaymentRowsAsync(app));
        var entryId = (await responses.Single(r => r.StatusCode == HttpStatusCode.Created).JsonAsync()).GetProperty("entryId").GetInt64();
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.Equal(entryId, (await conflict.JsonAsync()).GetProperty("entryId").GetInt64());
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_reference_from_a_file_is_refused_by_the_api_and_one_from_the_api_is_rejected_in_a_file(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await PlacementsAsync(app, Csv(PlacementHeader, Row("A-1"), Row("A-2", debtor: "D-2")));
        var agent = await app.ClientAsAsync(Roles.Agent);
        var ids = await app.WithDbAsync(db => db.Accounts.ToDictionaryAsync(a => a.Reference, a => a.Id, Cancel));

        var file = await PaymentsAsync(app, Csv(PaymentHeader, "A-1,30.00,USD,2026-02-01,card,BANK-1"));
        var fileEntry = await app.WithDbAsync(db => db.Ledger.Where(e => e.Reference == "BANK-1").Select(e => e.Id).SingleAsync(Cancel));
        var api = await agent.SendAsync(Post(ids["A-2"], new { amount = "30.00", paidOn = "2026-02-01", reference = "BANK-1" }, "k-1"), Cancel);
        var apiPosted = await agent.SendAsync(Post(ids["A-1"], new { amount = "20.00", paidOn = "2026-02-02", reference = "API-9" }, "k-2"), Cancel);
        var apiEntry = (await apiPosted.JsonAsync()).GetProperty("entryId").GetInt64();
        var later = await PaymentsAsync(app, Csv(PaymentHeader, "A-1,20.00,USD,2026-02-02,card,API-9", "A-2,5.00,USD,2026-02-02,card,NEW-1"));

        Assert.Equal(1, file.Created);
        Assert.Equal(HttpStatusCode.Conflict, api.StatusCode);
        AssertNamesHolder(await api.JsonAsync(), fileEntry, "A-1", "2026-02-01");
        Assert.False(later.Applied);
        var error = Assert.Single(later.Errors);
        Assert.Equal((2, "reference"), (error.Line, error.Column));
        Assert.Contains($"entry {apiEntry}", error.Reason, StringComparison.Ordinal);
        Assert.Contains("A-1", error.Reason, StringComparison.Ordinal);
        Assert.Equal(2, await PaymentRowsAsync(app));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_reference_repeated_in_one_file_is_rejected_on_its_second_line_and_the_same_file_again_changes_nothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await PlacementsAsync(app, Csv(PlacementHeader, Row("A-1"), Row("A-2", debtor: "D-2")));
        var good = Csv(PaymentHeader, "A-1,30.00,USD,2026-02-01,card,P-1", "A-2,30.00,USD,2026-02-01,card,P-2");

        var repeated = await PaymentsAsync(app, Csv(PaymentHeader, "A-1,30.00,USD,2026-02-01,card,P-1", "A-2,10.00,USD,2026-02-01,card,P-9", "A-1,30.00,USD,2026-02-01,card,P-1"));
        var first = await PaymentsAsync(app, good);
        var again = await PaymentsAsync(app, good);
        var changed = await PaymentsAsync(app, Csv(PaymentHeader, "A-2,31.00,USD,2026-02-01,card,P-2"));

        Assert.False(repeated.Applied);
        var error = Assert.Single(repeated.Errors);
        Assert.Equal((4, "reference"), (error.Line, error.Column));
        Assert.Contains("line 2", error.Reason, StringComparison.Ordinal);
        Assert.Equal((2, 0), (first.Created, first.Rejected));
        Assert.Equal((0, 2, 0), (again.Created, again.Unchanged, again.Rejected));
        Assert.Equal((2, "reference"), (Assert.Single(changed.Errors).Line, changed.Errors[0].Column));
        Assert.Equal(2, await PaymentRowsAsync(app));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_database_itself_refuses_a_second_row_for_one_creditors_reference(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        Assert.Equal(HttpStatusCode.Created, (await agent.SendAsync(Post(accountId, Payment, "key-1"), Cancel)).StatusCode);

        var error = await Record.ExceptionAsync(() => app.WithDbAsync(async db =>
        {
            var held = await db.PaymentReferences.AsNoTracking().SingleAsync(Cancel);
            var entry = new LedgerEntry
            {
                AccountId = accountId,
                Kind = LedgerEntryKind.Payment,
                Principal = -100,
                Currency = "USD",
                ValueDate = new LocalDate(2026, 3, 1),
                PostedAt = Now,
                PostedBy = "test",
                Reference = "PAY-77",
            };
            db.Ledger.Add(entry);
            db.PaymentReferences.Add(new PaymentReference { CreditorId = held.CreditorId, Reference = "PAY-77", Entry = entry });
            await db.SaveChangesAsync(Cancel);
        }));

        Assert.IsType<DbUpdateException>(error);
        Assert.Equal(1, await PaymentRowsAsync(app));
    }
}
