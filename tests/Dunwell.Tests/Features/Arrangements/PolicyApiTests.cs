using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Arrangements;

public sealed class PolicyApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_admin_saves_a_new_policy_version_the_options_follow_it_and_bad_values_are_named(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 16, 0));
        var admin = await app.ClientAsAsync(Roles.Admin);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);

        var current = await (await agent.GetAsync("/api/v1/creditors/ACME/policy", Cancel)).JsonAsync();
        Assert.Equal(0, current.GetProperty("version").GetInt32());
        var policy = JsonNode.Parse(current.GetProperty("policy").GetRawText())!.AsObject();
        policy["settlement"] = JsonNode.Parse("""{"allowed": true, "byDaysPastDue": [{"from": 30, "maxDiscountBasisPoints": 2000}], "byBalanceMinor": [], "payWithinDays": 7}""");

        var byAgent = await agent.PutAsJsonAsync("/api/v1/creditors/ACME/policy", policy, Cancel);
        var saved = await admin.PutAsJsonAsync("/api/v1/creditors/ACME/policy", policy, Cancel);
        policy["plan"]!["maxMonths"] = 0;
        var invalid = await admin.PutAsJsonAsync("/api/v1/creditors/ACME/policy", policy, Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, byAgent.StatusCode);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(1, (await saved.JsonAsync()).GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("plan.maxMonths", (await invalid.JsonAsync()).ErrorFields());

        // A policy that leaves out a section, or the limits of a role, is refused by name: it never widens anyone's authority.
        policy["plan"]!["maxMonths"] = 12;
        var noPlan = policy.DeepClone().AsObject();
        noPlan.Remove("plan");
        var withoutPlan = await admin.PutAsJsonAsync("/api/v1/creditors/ACME/policy", noPlan, Cancel);
        var noAgent = policy.DeepClone().AsObject();
        noAgent["authority"]!.AsObject().Remove("agent");
        var withoutAgent = await admin.PutAsJsonAsync("/api/v1/creditors/ACME/policy", noAgent, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, withoutPlan.StatusCode);
        Assert.Contains("'plan'", await withoutPlan.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, withoutAgent.StatusCode);
        Assert.Contains("authority.agent", (await withoutAgent.JsonAsync()).ErrorFields());
        Assert.Equal(1, await app.WithDbAsync(db => db.PolicyVersions.CountAsync(Cancel)));

        var options = await (await agent.GetAsync($"/api/v1/accounts/{accountId}/options?asOf=2026-03-02", Cancel)).JsonAsync();
        var settlement = Assert.Single(options.GetProperty("offers").EnumerateArray(), o => o.GetProperty("kind").GetString() == "settlement");
        Assert.Equal("489.92", settlement.GetProperty("totalPayable").GetProperty("amount").GetString()); // 20% off 612.40
        Assert.Equal(1, options.GetProperty("policyVersion").GetInt32());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_policy_that_pays_principal_first_is_followed_by_the_api_and_the_payment_file_alike(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 16, 0));
        var admin = await app.ClientAsAsync(Roles.Admin);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, first) = await RecordsSeed.AccountAsync(app, agent);
        await RecordsSeed.AccountAsync(app, agent, "ACC-2", "D-2");
        var policy = JsonNode.Parse((await (await admin.GetAsync("/api/v1/creditors/ACME/policy", Cancel)).JsonAsync()).GetProperty("policy").GetRawText())!.AsObject();
        policy["allocationOrder"] = JsonNode.Parse("""["principal", "interest", "fees"]""");
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/v1/creditors/ACME/policy", policy, Cancel)).StatusCode);

        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{first}/payments") { Content = JsonContent.Create(new { amount = "100.00", paidOn = "2026-03-01" }) };
        request.Headers.Add("Idempotency-Key", "p-1");
        Assert.Equal(HttpStatusCode.Created, (await agent.SendAsync(request, Cancel)).StatusCode);
        var report = await Imports.ImportKit.PaymentsAsync(app, Imports.ImportKit.Csv(Imports.ImportKit.PaymentHeader, "ACC-2,100.00,USD,2026-03-01,card,R-1"));

        Assert.True(report.Applied);
        var payments = await app.WithDbAsync(db => db.Ledger.Where(e => e.Kind == Domain.Ledger.LedgerEntryKind.Payment).OrderBy(e => e.AccountId)
            .Select(e => new { e.Principal, e.Interest, e.Fees }).ToListAsync(Cancel));
        Assert.All(payments, p => Assert.Equal((-10_000L, 0L, 0L), (p.Principal, p.Interest, p.Fees)));
        Assert.Equal(2, payments.Count);
    }
}
