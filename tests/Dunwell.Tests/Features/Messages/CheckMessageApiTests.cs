using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Messages;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using NodaTime;

namespace Dunwell.Tests.Features.Messages;

/// <summary>POST /api/v1/messages/check: the linter's findings, in the account's context or an explicit one, and whether it may be sent now.</summary>
public sealed class CheckMessageApiTests
{
    // 15:00 UTC is 10:00 in New York: inside Regulation F's convenient hours.
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 15, 0);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> CheckAsync(HttpClient client, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await client.PostAsJsonAsync("/api/v1/messages/check", body, Cancel);
        Assert.Equal(expected, response.StatusCode);
        return await response.JsonAsync();
    }

    private static IEnumerable<string> Rules(JsonElement answer, string severity) =>
        answer.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("severity").GetString() == severity).Select(f => f.GetProperty("rule").GetString()!);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_template_is_checked_without_an_account_in_an_explicit_context(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        const string text = "We will not take legal action. If you don't pay, we will report this to the credit bureaus and you will be arrested.";

        var none = await CheckAsync(agent, new { text, channel = "letter", language = "en", accountKind = "commercial" });
        var reporting = await CheckAsync(agent, new { text, channel = "letter", accountKind = "commercial", enabledConsequences = new[] { "creditReporting" } });
        var bad = await CheckAsync(agent, new { text, channel = "fax", language = "fr", accountKind = "business", enabledConsequences = new[] { "prison" } }, HttpStatusCode.BadRequest);

        Assert.Equal("block", none.GetProperty("verdict").GetString());
        Assert.Equal([RuleIds.EmptyThreatCreditReporting, RuleIds.ThreatArrest], Rules(none, "block").Order(StringComparer.Ordinal));
        var finding = none.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("rule").GetString() == RuleIds.ThreatArrest);
        var span = finding.GetProperty("span");
        Assert.Equal("arrested", text.Substring(span.GetProperty("start").GetInt32(), span.GetProperty("length").GetInt32()));
        Assert.False(string.IsNullOrWhiteSpace(finding.GetProperty("explanation").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(finding.GetProperty("suggestion").GetString()));
        Assert.Equal("B2B", none.GetProperty("context").GetProperty("pack").GetString());
        Assert.Equal([RuleIds.ThreatArrest], Rules(reporting, "block"));
        Assert.Contains(RuleIds.ConsequenceEnabled, Rules(reporting, "info"));
        Assert.Equal(JsonValueKind.Null, none.GetProperty("decision").ValueKind);
        Assert.Equal(["accountKind", "channel", "enabledConsequences[0]", "language"], bad.ErrorFields().Order());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task With_an_account_the_context_is_the_creditors_policy_and_the_decision_answers_may_I_send_it_now(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, agent);
        await MessageTestKit.EnableAsync(app, "ACME", Consequence.Agency);
        const string text = "Hello Jane. If we cannot agree a plan, we may pass the account to a collection agency. "
            + "This is a communication from a debt collector. Reply STOP to opt out.";

        var now = await CheckAsync(agent, new { text, channel = "email", language = "en", accountId, to = "jane.doe@example.com", at = "2026-03-02T10:00:00-05:00" });
        var night = await CheckAsync(agent, new { text, channel = "email", accountId, to = "jane.doe@example.com", at = "2026-03-02T23:30:00-05:00" });
        var lintOnly = await CheckAsync(agent, new { text = "We will sue you.", channel = "sms", language = "es-US", accountId });
        var both = await CheckAsync(agent, new { text, channel = "email", accountId, accountKind = "consumer" }, HttpStatusCode.BadRequest);

        Assert.Equal("pass", now.GetProperty("verdict").GetString());
        Assert.Equal(["agency"], now.GetProperty("context").GetProperty("enabledConsequences").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("US-FDCPA", now.GetProperty("context").GetProperty("pack").GetString());
        Assert.True(now.GetProperty("decision").GetProperty("allowed").GetBoolean());
        Assert.False(night.GetProperty("decision").GetProperty("allowed").GetBoolean());
        Assert.Contains(night.GetProperty("decision").GetProperty("reasons").EnumerateArray(), r => r.GetProperty("rule").GetString() == "us.reg-f.inconvenient-time");
        Assert.Equal(JsonValueKind.Null, lintOnly.GetProperty("decision").ValueKind);
        Assert.Equal("es", lintOnly.GetProperty("context").GetProperty("language").GetString());
        Assert.Equal(["accountId"], both.ErrorFields());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_account_of_another_creditor_is_not_found(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var admin = await app.ClientAsAsync(Roles.Admin);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, admin);
        await RecordsSeed.CreditorAsync(app, "BETA");
        var betaAgent = await app.ClientAsAsync(Roles.Agent, "BETA");

        var outOfScope = await CheckAsync(betaAgent, new { text = "Hello", channel = "email", accountId }, HttpStatusCode.NotFound);
        var missing = await CheckAsync(admin, new { text = "Hello", channel = "email", accountId = accountId + 1000 }, HttpStatusCode.NotFound);

        Assert.Equal(
            missing.GetProperty("detail").GetString()!.Replace((accountId + 1000).ToString(System.Globalization.CultureInfo.InvariantCulture), "N", StringComparison.Ordinal),
            outOfScope.GetProperty("detail").GetString()!.Replace(accountId.ToString(System.Globalization.CultureInfo.InvariantCulture), "N", StringComparison.Ordinal));
    }
}
