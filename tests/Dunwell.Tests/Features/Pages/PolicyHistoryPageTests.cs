using System.Net;
using System.Text.Json;
using Dunwell.Domain.Accounts;
using Dunwell.Features.CreditorPolicies;
using Dunwell.Tests.Support;
using NodaTime;

namespace Dunwell.Tests.Features.Pages;

/// <summary>The creditor policy page's version history, and a past version shown read-only.</summary>
public sealed class PolicyHistoryPageTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 15, 0);

    private static async Task<string> HtmlAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Cancel));

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_policy_page_lists_every_saved_version_and_an_old_one_is_shown_read_only_as_it_was_saved(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await PageSession.SeedAccountAsync(app);
        var admin = await PageSession.SignedInAsync(app, Roles.Admin);
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);

        var before = await HtmlAsync(await admin.GetAsync("/admin/creditors/NWU/policy", Cancel));
        var draft = WebUtility.HtmlDecode(PageSession.TextAreaValue(await (await admin.GetAsync("/admin/creditors/NWU/policy", Cancel)).Content.ReadAsStringAsync(Cancel), "Draft"));
        await PageSession.SubmitAsync(admin, "/admin/creditors/NWU/policy", "policy", new() { ["Draft"] = draft });
        app.Clock.Advance(TimeSpan.FromHours(2));
        var twelveToSix = draft.Replace("\"maxMonths\": 12", "\"maxMonths\": 6", StringComparison.Ordinal);
        Assert.NotEqual(draft, twelveToSix);
        var saved = await HtmlAsync(await PageSession.SubmitAsync(admin, "/admin/creditors/NWU/policy", "policy", new() { ["Draft"] = twelveToSix }));
        var first = await admin.GetAsync("/admin/creditors/NWU/policy/versions/1", Cancel);
        var firstHtml = await HtmlAsync(first);
        var missing = await admin.GetAsync("/admin/creditors/NWU/policy/versions/3", Cancel);
        var forAgent = await agent.GetAsync("/admin/creditors/NWU/policy/versions/1", Cancel);

        Assert.Contains("No version saved yet", before, StringComparison.Ordinal);
        Assert.Contains("Saved as version 2.", saved, StringComparison.Ordinal);
        Assert.Contains("id=\"policy-versions\"", saved, StringComparison.Ordinal);
        Assert.Contains("href=\"/admin/creditors/NWU/policy/versions/1\"", saved, StringComparison.Ordinal);
        Assert.Contains("href=\"/admin/creditors/NWU/policy/versions/2\"", saved, StringComparison.Ordinal);
        Assert.True(saved.IndexOf("versions/2", StringComparison.Ordinal) < saved.IndexOf("versions/1", StringComparison.Ordinal), "newest first");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("Superseded: version 2 is in force.", firstHtml, StringComparison.Ordinal);
        Assert.Contains("Saved Mon 2 Mar 2026, 15:00 UTC by admin@pages.test.", firstHtml, StringComparison.Ordinal);
        Assert.Contains("class=\"code\" readonly", firstHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("Save as a new version", firstHtml, StringComparison.Ordinal);
        var shown = JsonSerializer.Deserialize<Dunwell.Domain.Arrangements.CreditorPolicy>(
            System.Text.RegularExpressions.Regex.Match(firstHtml, "<textarea id=\"policy-version-json\"[^>]*>(.*?)</textarea>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value,
            PolicyStore.Json)!;
        Assert.Equal(12, shown.Plan.MaxMonths);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, forAgent.StatusCode);
        Assert.Equal("/denied", new Uri(new Uri("http://localhost"), forAgent.Headers.Location!).AbsolutePath);
    }
}
