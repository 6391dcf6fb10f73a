using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using NodaTime;

namespace Dunwell.Tests.Features.Arrangements;

/// <summary>Past policy versions are readable by anyone who may read the current one, so a past decision can be explained.</summary>
public sealed class PolicyVersionsApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Every_saved_version_is_listed_and_the_one_an_arrangement_was_checked_against_reads_as_it_was_saved(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 16, 0));
        var admin = await app.ClientAsAsync(Roles.Admin);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var auditor = await app.ClientAsAsync(Roles.Auditor);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);

        var none = await (await agent.GetAsync("/api/v1/creditors/ACME/policy/versions", Cancel)).JsonAsync();
        var policy = JsonNode.Parse((await (await admin.GetAsync("/api/v1/creditors/ACME/policy", Cancel)).JsonAsync()).GetProperty("policy").GetRawText())!.AsObject();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/v1/creditors/ACME/policy", policy, Cancel)).StatusCode);
        var promise = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{accountId}/arrangements") { Content = JsonContent.Create(new { kind = "promise", firstPaymentOn = "2026-03-10" }) };
        promise.Headers.Add("Idempotency-Key", "promise-1");
        var arrangement = await (await agent.SendAsync(promise, Cancel)).JsonAsync();
        app.Clock.Advance(TimeSpan.FromHours(3));
        policy["plan"]!["maxMonths"] = 6;
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/v1/creditors/ACME/policy", policy, Cancel)).StatusCode);

        var versions = await auditor.GetAsync("/api/v1/creditors/ACME/policy/versions", Cancel);
        var list = await versions.JsonAsync();
        var checkedAgainst = arrangement.GetProperty("policyVersion").GetInt32();
        var old = await agent.GetAsync($"/api/v1/creditors/ACME/policy/versions/{checkedAgainst}", Cancel);
        var oldBody = await old.JsonAsync();
        var current = await (await agent.GetAsync("/api/v1/creditors/ACME/policy", Cancel)).JsonAsync();
        var latest = await (await agent.GetAsync("/api/v1/creditors/ACME/policy/versions/2", Cancel)).JsonAsync();

        Assert.Empty(none.EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, versions.StatusCode);
        Assert.Equal([1, 2], list.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal(
            [DateTimeOffset.Parse("2026-03-02T16:00:00Z", System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse("2026-03-02T19:00:00Z", System.Globalization.CultureInfo.InvariantCulture)],
            list.EnumerateArray().Select(v => v.GetProperty("savedAt").GetDateTimeOffset()));
        Assert.All(list.EnumerateArray(), v => Assert.StartsWith("apikey:test-admin-", v.GetProperty("savedBy").GetString(), StringComparison.Ordinal));

        Assert.Equal(1, checkedAgainst);
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Equal(("ACME", 1), (oldBody.GetProperty("creditor").GetString(), oldBody.GetProperty("version").GetInt32()));
        Assert.Equal(12, oldBody.GetProperty("policy").GetProperty("plan").GetProperty("maxMonths").GetInt32());
        Assert.Equal(6, current.GetProperty("policy").GetProperty("plan").GetProperty("maxMonths").GetInt32());
        Assert.Equal(current.GetRawText(), latest.GetRawText());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_version_never_saved_or_an_unknown_creditor_is_not_found_and_reading_versions_needs_a_key(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 16, 0));
        var admin = await app.ClientAsAsync(Roles.Admin);
        var agent = await app.ClientAsAsync(Roles.Agent);
        await RecordsSeed.CreditorAsync(app);
        var policy = (await (await admin.GetAsync("/api/v1/creditors/ACME/policy", Cancel)).JsonAsync()).GetProperty("policy");
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/v1/creditors/ACME/policy", policy, Cancel)).StatusCode);

        var two = await agent.GetAsync("/api/v1/creditors/ACME/policy/versions/2", Cancel);
        var zero = await agent.GetAsync("/api/v1/creditors/ACME/policy/versions/0", Cancel);
        var unknownList = await agent.GetAsync("/api/v1/creditors/NOBODY/policy/versions", Cancel);
        var unknownOne = await agent.GetAsync("/api/v1/creditors/NOBODY/policy/versions/1", Cancel);
        var notANumber = await agent.GetAsync("/api/v1/creditors/ACME/policy/versions/latest", Cancel);
        var anonymousList = await app.CreateClient().GetAsync("/api/v1/creditors/ACME/policy/versions", Cancel);
        var anonymousOne = await app.CreateClient().GetAsync("/api/v1/creditors/ACME/policy/versions/1", Cancel);
        var put = await admin.PutAsJsonAsync("/api/v1/creditors/ACME/policy/versions/1", policy, Cancel);

        Assert.Equal(HttpStatusCode.NotFound, two.StatusCode);
        Assert.Contains("has no policy version 2", (await two.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, zero.StatusCode);
        Assert.Contains("built-in default", (await zero.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknownList.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownOne.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notANumber.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousList.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousOne.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, put.StatusCode); // a saved version is read-only
    }
}
