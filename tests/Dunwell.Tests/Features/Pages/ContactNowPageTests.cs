using System.Net;
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
        Assert.Contains("Allowed from Mon 2 Mar 2026, 08:00 EST", before, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);
        Assert.Contains("Compliance exception", after, StringComparison.Ordinal);
        Assert.Contains("Made while the rules did not allow it", after, StringComparison.Ordinal);
        Assert.Equal(phoneId, await app.WithDbAsync(db => db.Interactions.Select(i => i.ContactId).SingleAsync(Cancel)));
    }
}
