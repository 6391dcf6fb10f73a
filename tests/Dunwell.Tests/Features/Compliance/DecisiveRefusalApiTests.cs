using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using NodaTime;

namespace Dunwell.Tests.Features.Compliance;

/// <summary>The eligibility answer names every refusing rule, when each would allow, and which one sets the next allowed time.</summary>
public sealed class DecisiveRefusalApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task<long> SeedSevenCallsAsync(TestApp app, HttpClient agent)
    {
        await RecordsSeed.CreditorAsync(app);
        var debtorId = await RecordsSeed.PostDebtorAsync(agent, new
        {
            reference = "D-NY",
            kind = "person",
            name = "Sam Rivera",
            addressLine1 = "40 Orchard Street",
            city = "New York",
            region = "NY",
            postalCode = "10002",
            country = "US",
            contacts = new object[] { new { kind = "phone", value = "(212) 555-0100" } },
        });
        var accountId = await RecordsSeed.PostAccountAsync(agent, RecordsSeed.Account(debtorId));

        // One call a day at 10:00 New York time, 24 February to 2 March: seven in seven days.
        for (var day = 0; day < 7; day++)
        {
            var at = Instant.FromUtc(2026, 2, 24, 15, 0).Plus(Duration.FromDays(day));
            var call = await agent.PostAsJsonAsync($"/api/v1/accounts/{accountId}/interactions",
                new { channel = "call", direction = "outbound", outcome = "noAnswer", occurredAt = at.ToDateTimeOffset() }, Cancel);
            Assert.Equal(HttpStatusCode.Created, call.StatusCode);
        }

        return accountId;
    }

    private static async Task<JsonElement> EligibilityAsync(HttpClient client, long accountId, string at)
    {
        var response = await client.GetAsync($"/api/v1/accounts/{accountId}/contact-eligibility?channel=call&at={Uri.EscapeDataString(at)}", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private static JsonElement Refusal(JsonElement decision, string rule) =>
        Assert.Single(decision.GetProperty("refusals").EnumerateArray(), r => r.GetProperty("rule").GetString() == rule);

    private static Instant? InstantOf(JsonElement value) =>
        value.ValueKind == JsonValueKind.Null ? null : Instant.FromDateTimeOffset(value.GetDateTimeOffset());

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Each_refusing_rule_is_listed_with_when_it_allows_and_the_one_setting_the_next_time_is_marked(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 3, 3, 0));
        var agent = await app.ClientAsAsync("agent");
        var accountId = await SeedSevenCallsAsync(app, agent);

        var lateEvening = await EligibilityAsync(agent, accountId, "2026-03-02T21:30:00-05:00");
        var midMorning = await EligibilityAsync(agent, accountId, "2026-03-02T10:01:00-05:00");

        // 21:30: both the hours and the weekly count refuse; the hours end later, so they set the time.
        var hours = Refusal(lateEvening, "us.reg-f.inconvenient-time");
        var count = Refusal(lateEvening, "us.reg-f.call-frequency");
        Assert.Equal(2, lateEvening.GetProperty("refusals").GetArrayLength());
        Assert.True(hours.GetProperty("decisive").GetBoolean());
        Assert.False(count.GetProperty("decisive").GetBoolean());
        Assert.True(hours.GetProperty("refusesNow").GetBoolean() && count.GetProperty("refusesNow").GetBoolean());
        Assert.Equal(Instant.FromUtc(2026, 3, 3, 5, 0), InstantOf(count.GetProperty("allowsFrom"))); // midnight in New York
        Assert.Equal(Instant.FromUtc(2026, 3, 3, 13, 0), InstantOf(hours.GetProperty("allowsFrom")));
        Assert.Equal(InstantOf(hours.GetProperty("allowsFrom")), InstantOf(lateEvening.GetProperty("nextAllowedAt")));
        Assert.Equal(["us.reg-f.inconvenient-time"], lateEvening.GetProperty("nextAllowedAtSetBy").EnumerateArray().Select(r => r.GetString()));
        var local = Assert.Single(lateEvening.GetProperty("nextAllowedAtLocal").EnumerateArray());
        Assert.Equal(("America/New_York", "EST", "2026-03-03T08:00:00-05:00"),
            (local.GetProperty("zone").GetString(), local.GetProperty("abbreviation").GetString(), local.GetProperty("local").GetString()));
        Assert.Equal("2026-03-02T21:30:00-05:00", Assert.Single(lateEvening.GetProperty("askedAtLocal").EnumerateArray()).GetProperty("local").GetString());
        Assert.Equal(2, lateEvening.GetProperty("reasons").GetArrayLength()); // the old list stays as it was

        // 10:01: only the count refuses now, until midnight; the hours then hold the call until 08:00 and are named.
        Assert.Equal(["us.reg-f.call-frequency"], midMorning.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("rule").GetString()));
        var later = Refusal(midMorning, "us.reg-f.inconvenient-time");
        Assert.False(later.GetProperty("refusesNow").GetBoolean());
        Assert.True(later.GetProperty("decisive").GetBoolean());
        Assert.Equal(Instant.FromUtc(2026, 3, 3, 5, 0), InstantOf(later.GetProperty("foundAt")));
        Assert.Equal(Instant.FromUtc(2026, 3, 3, 13, 0), InstantOf(midMorning.GetProperty("nextAllowedAt")));
        Assert.False(Refusal(midMorning, "us.reg-f.call-frequency").GetProperty("decisive").GetBoolean());
    }
}
