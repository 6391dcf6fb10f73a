using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dunwell.Data;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Dunwell.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using static Dunwell.Tests.Features.Imports.ImportKit;

namespace Dunwell.Tests.Features.Creditors;

/// <summary>
/// Issue 9, finding 1: a caller acting for one creditor sees and changes that creditor's records only, and a record of
/// another creditor answers exactly as a record that does not exist.
/// </summary>
public sealed class CreditorScopeTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 14, 0);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Two creditors, each with one debtor (same debtor reference: references are the creditor's own) and one account.</summary>
    private static async Task<(long AcmeDebtor, long AcmeAccount, long BetaDebtor, long BetaAccount)> TwoPortfoliosAsync(TestApp app)
    {
        await RecordsSeed.CreditorAsync(app, "ACME");
        await RecordsSeed.CreditorAsync(app, "BETA");
        var admin = await app.ClientAsAsync(Roles.Admin);
        var acmeDebtor = await RecordsSeed.PostDebtorAsync(admin, RecordsSeed.WithCreditor(RecordsSeed.Debtor("D-1"), "ACME"));
        var betaDebtor = await RecordsSeed.PostDebtorAsync(admin, RecordsSeed.WithCreditor(RecordsSeed.Debtor("D-1", name: "Bob Beta", phone: "(212) 555-0199", email: "bob@example.com"), "BETA"));
        var acmeAccount = await RecordsSeed.PostAccountAsync(admin, RecordsSeed.Account(acmeDebtor, "ACME-1"));
        var betaAccount = await RecordsSeed.PostAccountAsync(admin, RecordsSeed.WithCreditor(RecordsSeed.Account(betaDebtor, "BETA-1"), "BETA"));
        return (acmeDebtor, acmeAccount, betaDebtor, betaAccount);
    }

    private static string Problem(JsonElement problem, string id) =>
        $"{problem.GetProperty("status")} {problem.GetProperty("title")} {problem.GetProperty("detail").GetString()!.Replace(id, "N", StringComparison.Ordinal)}";

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_key_for_one_creditor_finds_only_its_accounts_and_debtors_and_the_rest_are_not_found(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var (acmeDebtor, acmeAccount, betaDebtor, betaAccount) = await TwoPortfoliosAsync(app);
        var agent = await app.ClientAsAsync(Roles.Agent, "ACME");

        var search = await (await agent.GetAsync("/api/v1/accounts?q=", Cancel)).JsonAsync();
        var found = search.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("reference").GetString()).ToList();
        Assert.Equal(["ACME-1"], found);

        // The finding as reported: walking ids answers only for the caller's own records.
        var debtorsSeen = new List<long>();
        var accountsSeen = new List<long>();
        for (var id = 1; id <= 20; id++)
        {
            var debtor = await agent.GetAsync($"/api/v1/debtors/{id}", Cancel);
            var account = await agent.GetAsync($"/api/v1/accounts/{id}", Cancel);
            Assert.Contains(debtor.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.NotFound });
            Assert.Contains(account.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.NotFound });
            if (debtor.StatusCode == HttpStatusCode.OK)
            {
                debtorsSeen.Add(id);
            }

            if (account.StatusCode == HttpStatusCode.OK)
            {
                accountsSeen.Add(id);
            }
        }

        Assert.Equal([acmeDebtor], debtorsSeen);
        Assert.Equal([acmeAccount], accountsSeen);

        // Out of scope reads exactly as missing: same status, same body shape as an id that never existed.
        var other = await agent.GetAsync($"/api/v1/accounts/{betaAccount}", Cancel);
        var missing = await agent.GetAsync("/api/v1/accounts/999999", Cancel);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(Problem(await missing.JsonAsync(), "999999"), Problem(await other.JsonAsync(), betaAccount.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/api/v1/debtors/{betaDebtor}", Cancel)).StatusCode);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Writes_and_subresources_of_another_creditors_account_are_not_found_and_change_nothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var (_, _, betaDebtor, betaAccount) = await TwoPortfoliosAsync(app);
        var before = await SnapshotAsync(app);
        var agent = await app.ClientAsAsync(Roles.Agent, "ACME");
        var supervisor = await app.ClientAsAsync(Roles.Supervisor, "ACME");

        var payment = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{betaAccount}/payments")
        {
            Content = JsonContent.Create(new { amount = "10.00", currency = "USD", paidOn = "2026-03-01", method = "card" }),
        };
        payment.Headers.Add("Idempotency-Key", "scope-pay-1");
        var answers = new List<HttpResponseMessage>
        {
            await agent.SendAsync(payment, Cancel),
            await agent.PostAsJsonAsync($"/api/v1/accounts/{betaAccount}/interactions", new { channel = "call", direction = "outbound", outcome = "noAnswer" }, Cancel),
            await agent.PatchAsJsonAsync($"/api/v1/debtors/{betaDebtor}", new { name = "Changed" }, Cancel),
            await agent.GetAsync($"/api/v1/accounts/{betaAccount}/interactions", Cancel),
            await agent.GetAsync($"/api/v1/accounts/{betaAccount}/options", Cancel),
            await agent.GetAsync($"/api/v1/accounts/{betaAccount}/charges", Cancel),
            await agent.GetAsync($"/api/v1/accounts/{betaAccount}/disputes", Cancel),
            await agent.GetAsync($"/api/v1/accounts/{betaAccount}/contact-eligibility?at=2026-03-02T15:00:00Z&channel=call", Cancel),
            await supervisor.GetAsync("/api/v1/creditors/BETA/policy", Cancel),
            await supervisor.GetAsync("/api/v1/creditors/BETA", Cancel),
        };

        Assert.All(answers.Select((a, i) => (a.StatusCode, i)), x => Assert.Equal((HttpStatusCode.NotFound, x.i), x));
        Assert.Equal(before, await SnapshotAsync(app));
        Assert.Equal(0, await app.WithDbAsync(db => db.Interactions.CountAsync(Cancel)));
        Assert.Equal("Bob Beta", await app.WithDbAsync(db => db.Debtors.Where(d => d.Id == betaDebtor).Select(d => d.Name).SingleAsync(Cancel)));
        var creditors = await (await agent.GetAsync("/api/v1/creditors", Cancel)).JsonAsync();
        Assert.Equal(["ACME"], creditors.EnumerateArray().Select(c => c.GetProperty("reference").GetString()));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_debtor_belongs_to_one_creditor_and_an_account_cannot_borrow_another_creditors_debtor(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var (_, _, betaDebtor, _) = await TwoPortfoliosAsync(app);
        var admin = await app.ClientAsAsync(Roles.Admin);
        var acmeOnly = await app.ClientAsAsync(Roles.Agent, "ACME");

        var borrowed = await admin.PostAsJsonAsync("/api/v1/accounts", RecordsSeed.Account(betaDebtor, "ACME-2"), Cancel);
        var unnamed = await admin.PostAsJsonAsync("/api/v1/debtors", RecordsSeed.Debtor("D-9"), Cancel);
        var defaulted = await acmeOnly.PostAsJsonAsync("/api/v1/debtors", RecordsSeed.Debtor("D-9"), Cancel);
        var elsewhere = await acmeOnly.PostAsJsonAsync("/api/v1/debtors", RecordsSeed.WithCreditor(RecordsSeed.Debtor("D-10"), "BETA"), Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, borrowed.StatusCode);
        Assert.Contains("debtorId", (await borrowed.JsonAsync()).ErrorFields());
        Assert.Contains("creditorReference", (await unnamed.JsonAsync()).ErrorFields());
        Assert.Equal(HttpStatusCode.Created, defaulted.StatusCode);
        Assert.Equal("ACME", (await defaulted.JsonAsync()).GetProperty("creditorReference").GetString());
        Assert.Contains("creditorReference", (await elsewhere.JsonAsync()).ErrorFields());
        Assert.Equal(3, await app.WithDbAsync(db => db.Debtors.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_import_by_a_scoped_admin_refuses_rows_for_other_or_unknown_creditors_naming_line_and_column(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await TwoPortfoliosAsync(app);
        var before = await SnapshotAsync(app);
        var acmeAdmin = await app.ClientAsAsync(Roles.Admin, "ACME");
        var csv = Csv(
            PlacementHeader,
            Row("ACME-7", "D-7"),
            Row("BETA-7", "D-7", ("creditor_ref", "BETA")),
            Row("NEW-7", "D-7", ("creditor_ref", "NEWCO")));

        var refused = await acmeAdmin.PostAsync("/api/v1/imports/placements", new StringContent(csv, Encoding.UTF8, "text/csv"), Cancel);
        var body = await refused.Content.ReadAsStringAsync(Cancel);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("creditor_ref", body, StringComparison.Ordinal);
        Assert.Contains("\"line\":3", body, StringComparison.Ordinal);
        Assert.Contains("\"line\":4", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"line\":2", body, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(app));

        // Acting for every creditor, the same file loads and creates the new creditor.
        var everyone = await app.ClientAsAsync(Roles.Admin);
        var loaded = await everyone.PostAsync("/api/v1/imports/placements", new StringContent(csv, Encoding.UTF8, "text/csv"), Cancel);
        Assert.Equal(HttpStatusCode.OK, loaded.StatusCode);
        Assert.Equal(3, await app.WithDbAsync(db => db.Creditors.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_payment_file_from_a_scoped_admin_cannot_pay_another_creditors_account(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await TwoPortfoliosAsync(app);
        var before = await SnapshotAsync(app);
        var acmeAdmin = await app.ClientAsAsync(Roles.Admin, "ACME");

        var refused = await acmeAdmin.PostAsync(
            "/api/v1/imports/payments", new StringContent(Csv(PaymentHeader, "BETA-1,5.00,USD,2026-03-01,card,R-1"), Encoding.UTF8, "text/csv"), Cancel);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("account_ref", await refused.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(app));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_filter_is_in_the_sql_itself_not_applied_after_loading(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await TwoPortfoliosAsync(app);
        await using var scope = app.Services.CreateAsyncScope();
        var creditors = scope.ServiceProvider.GetRequiredService<CreditorScope>();
        var db = scope.ServiceProvider.GetRequiredService<DunwellDb>();
        var acme = await db.Creditors.IgnoreQueryFilters().Where(c => c.Reference == "ACME").Select(c => c.Id).SingleAsync(Cancel);
        creditors.Allow([acme]);

        Assert.Contains("creditor_id", db.Accounts.ToQueryString(), StringComparison.Ordinal);
        Assert.Contains("creditor_id", db.Debtors.ToQueryString(), StringComparison.Ordinal);
        Assert.Contains("creditor_id", db.Ledger.ToQueryString(), StringComparison.Ordinal);
        Assert.Equal(["ACME-1"], await db.Accounts.Select(a => a.Reference).ToListAsync(Cancel));
        Assert.Single(await db.Ledger.Select(e => e.AccountId).Distinct().ToListAsync(Cancel));
    }

    [Fact]
    public async Task A_unit_of_work_without_a_scope_fails_loudly_instead_of_seeing_everything()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = await TestApp.StartAsync(database, Now);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DunwellDb>();

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.Accounts.CountAsync(Cancel));
    }
}
