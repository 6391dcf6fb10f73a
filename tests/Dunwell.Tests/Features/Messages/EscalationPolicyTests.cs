using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Pages;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using NodaTime;

namespace Dunwell.Tests.Features.Messages;

/// <summary>The escalations a creditor enables are part of its policy: edited through the API and the policy page, read by the linter.</summary>
public sealed class EscalationPolicyTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 15, 0);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_admin_enables_escalations_through_the_api_bad_ones_are_named_and_the_linter_follows(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var admin = await app.ClientAsAsync(Roles.Admin);
        var (_, accountId) = await RecordsSeed.AccountAsync(app, admin);
        var current = await (await admin.GetAsync("/api/v1/creditors/ACME/policy", Cancel)).JsonAsync();
        var policy = JsonNode.Parse(current.GetProperty("policy").GetRawText())!.AsObject();
        var lint = new { text = "We may report the debt to the credit bureaus. This is a communication from a debt collector.", channel = "letter", accountId };
        var before = await (await admin.PostAsJsonAsync("/api/v1/messages/check", lint, Cancel)).JsonAsync();

        policy["enabledConsequences"] = new JsonArray("legal", "legal");
        var twice = await admin.PutAsJsonAsync("/api/v1/creditors/ACME/policy", policy, Cancel);
        policy["enabledConsequences"] = new JsonArray("prison");
        var unknown = await admin.PutAsJsonAsync("/api/v1/creditors/ACME/policy", policy, Cancel);
        policy["enabledConsequences"] = new JsonArray("creditReporting", "agency");
        var saved = await admin.PutAsJsonAsync("/api/v1/creditors/ACME/policy", policy, Cancel);
        var after = await (await admin.PostAsJsonAsync("/api/v1/messages/check", lint, Cancel)).JsonAsync();

        Assert.Equal(0, current.GetProperty("policy").GetProperty("enabledConsequences").GetArrayLength());
        Assert.Equal("block", before.GetProperty("verdict").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Equal(["enabledConsequences"], (await twice.JsonAsync()).ErrorFields());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("enabledConsequences", await unknown.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(["creditReporting", "agency"], (await saved.JsonAsync()).GetProperty("policy").GetProperty("enabledConsequences").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("pass", after.GetProperty("verdict").GetString());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_policy_page_shows_the_enabled_escalations_and_saves_them(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await PageSession.SeedAccountAsync(app);
        var admin = await PageSession.SignedInAsync(app, Roles.Admin);

        var editor = await (await admin.GetAsync("/admin/creditors/NWU/policy", Cancel)).Content.ReadAsStringAsync(Cancel);
        var draft = WebUtility.HtmlDecode(PageSession.TextAreaValue(editor, "Draft"));
        var saved = await PageSession.SubmitAsync(admin, "/admin/creditors/NWU/policy", "policy",
            new() { ["Draft"] = draft.Replace("\"enabledConsequences\": []", "\"enabledConsequences\": [\"legal\"]", StringComparison.Ordinal) });
        var page = await saved.Content.ReadAsStringAsync(Cancel);

        Assert.Contains("<strong>Escalations enabled:</strong> none.", editor, StringComparison.Ordinal);
        Assert.Contains("Saved as version 1.", page, StringComparison.Ordinal);
        Assert.Contains("<strong>Escalations enabled:</strong> legal action.", page, StringComparison.Ordinal);
    }
}
