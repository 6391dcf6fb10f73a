using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Pages;

public sealed class ContactNowPageTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Before_eight_the_page_says_not_to_call_and_when_and_a_call_recorded_anyway_is_marked_on_the_timeline(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 12, 55)); // 07:55 in New York
        var accountId = await PageSession.SeedAccountAsync(app);
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);

        var phoneId = await app.WithDbAsync(db => db.Set<Dunwell.Data.DebtorContact>().Where(c => c.Kind == ContactKind.Phone).Select(c => c.Id).FirstAsync(Cancel));
        var before = await (await agent.GetAsync($"/accounts/{accountId}", Cancel)).Content.ReadAsStringAsync(Cancel);
        var recorded = await PageSession.SubmitAsync(agent, $"/accounts/{accountId}", "interaction", new()
        {
            ["Interaction.Channel"] = "Call",
            ["Interaction.Direction"] = "Outbound",
            ["Interaction.Outcome"] = "NoAnswer",
            ["Interaction.OccurredAt"] = "2026-03-02T07:55",
            ["Interaction.ContactId"] = phoneId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, postUrl: $"/accounts/{accountId}/record");
        var after = await (await agent.GetAsync(recorded.Headers.Location, Cancel)).Content.ReadAsStringAsync(Cancel);

        Assert.Contains("Contact now?", before, StringComparison.Ordinal);
        Assert.Contains("not now", before, StringComparison.Ordinal);
        Assert.Contains("Allowed from Mon 2 Mar 2026, 08:00 EST, set by us.reg-f.inconvenient-time", ContactNowText(before), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);
        Assert.Contains("Compliance exception", after, StringComparison.Ordinal);
        Assert.Contains("Made while the rules did not allow it", after, StringComparison.Ordinal);
        Assert.Equal(phoneId, await app.WithDbAsync(db => db.Interactions.Select(i => i.ContactId).SingleAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_panel_lists_every_refusing_rule_marks_the_one_setting_the_time_and_writes_the_debtors_local_time(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 3, 2, 30)); // Monday 21:30 in New York
        var accountId = await PageSession.SeedAccountAsync(app);
        var api = await app.ClientAsAsync("agent");
        for (var day = 0; day < 7; day++)
        {
            // One call a day at 10:00 New York time, 24 February to 2 March: the weekly count is reached.
            var call = await api.PostAsJsonAsync($"/api/v1/accounts/{accountId}/interactions",
                new { channel = "call", direction = "outbound", outcome = "noAnswer", occurredAt = Instant.FromUtc(2026, 2, 24, 15, 0).Plus(Duration.FromDays(day)).ToDateTimeOffset() }, Cancel);
            Assert.Equal(HttpStatusCode.Created, call.StatusCode);
        }

        var agent = await PageSession.SignedInAsync(app, Roles.Agent);
        var html = await (await agent.GetAsync($"/accounts/{accountId}", Cancel)).Content.ReadAsStringAsync(Cancel);
        var panel = ContactNowHtml(html);
        var text = ContactNowText(html);

        Assert.Contains("The debtor's time now: Mon 2 Mar 2026, 21:30 EST", text, StringComparison.Ordinal);
        Assert.Matches("<li class=\"refusal decisive\" data-rule=\"us.reg-f.inconvenient-time\">", panel);
        Assert.Matches("<li class=\"refusal\" data-rule=\"us.reg-f.call-frequency\">", panel);
        Assert.Contains("This rule allows contact from Tue 3 Mar 2026, 00:00 EST.", text, StringComparison.Ordinal);
        Assert.Contains("This rule allows contact from Tue 3 Mar 2026, 08:00 EST. sets the next allowed time", text, StringComparison.Ordinal);
        Assert.Contains("Allowed from Tue 3 Mar 2026, 08:00 EST, set by us.reg-f.inconvenient-time.", text, StringComparison.Ordinal);
        Assert.Contains("datetime=\"2026-03-03T13:00:00Z\"", panel, StringComparison.Ordinal); // machines get the instant
        Assert.DoesNotMatch(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|UTC|\d{2}:\d{2}Z", text); // people get their clock, never a bare UTC instant
    }

    private static string ContactNowHtml(string html)
    {
        var start = html.IndexOf("aria-labelledby=\"contact-now-title\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "The Contact now? panel is missing.");
        return html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    /// <summary>The panel's words as a reader sees them: no tags or attributes, spaces collapsed.</summary>
    private static string ContactNowText(string html) =>
        Regex.Replace(System.Net.WebUtility.HtmlDecode(Regex.Replace(ContactNowHtml(html), "<[^>]*>", " ")), @"\s+", " ")
            .Replace(" .", ".", StringComparison.Ordinal).Replace(" ,", ",", StringComparison.Ordinal).Replace(" :", ":", StringComparison.Ordinal);
}
