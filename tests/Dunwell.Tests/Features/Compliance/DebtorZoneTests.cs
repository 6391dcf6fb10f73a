using System.Net;
using System.Text;
using System.Text.Json;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using static Dunwell.Tests.Features.Imports.ImportKit;

namespace Dunwell.Tests.Features.Compliance;

/// <summary>The zone a placement file states for the address is the zone the contact rules use; a country alone is no zone.</summary>
public sealed class DebtorZoneTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // 20:30 on 14 July in Phoenix (no daylight time); 21:30 in Denver and in the Navajo Nation.
    private static readonly Instant PhoenixEvening = Instant.FromUtc(2026, 7, 15, 3, 30);

    private static string Placed(string account, string debtor, params (string Column, string Value)[] changes) => Row(account, debtor, changes);

    private static async Task<JsonElement> CallAsync(TestApp app, HttpClient client, string accountRef)
    {
        var id = await app.WithDbAsync(db => db.Accounts.Where(a => a.Reference == accountRef).Select(a => a.Id).SingleAsync(Cancel));
        var response = await client.GetAsync($"/api/v1/accounts/{id}/contact-eligibility?channel=call", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private static IEnumerable<string> Zones(JsonElement decision) => decision.GetProperty("zones").EnumerateArray().Select(z => z.GetString()!);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_phoenix_address_whose_file_says_america_phoenix_may_be_called_at_half_past_eight_and_one_without_keeps_both_zones(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, PhoenixEvening);
        var admin = await app.ClientAsAsync(Roles.Admin);
        (string, string)[] phoenix = [("phone", "(602) 555-0100"), ("city", "Phoenix"), ("region", "AZ"), ("postal_code", "85004")];
        var csv = Csv(PlacementHeader,
            Placed("A-STATED", "D-STATED", [.. phoenix, ("time_zone", "America/Phoenix")]),
            Placed("A-STATE", "D-STATE", phoenix));
        var imported = await admin.PostAsync("/api/v1/imports/placements", new StringContent(csv, Encoding.UTF8, "text/csv"), Cancel);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);

        var stated = await CallAsync(app, admin, "A-STATED");
        var stateOnly = await CallAsync(app, admin, "A-STATE");

        Assert.True(stated.GetProperty("allowed").GetBoolean());
        Assert.Equal(["America/Phoenix"], Zones(stated));
        Assert.False(stateOnly.GetProperty("allowed").GetBoolean());
        Assert.Contains("America/Denver", Zones(stateOnly));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_zone_stated_through_the_api_is_the_address_zone_and_clearing_it_brings_back_the_state(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, PhoenixEvening);
        var admin = await app.ClientAsAsync(Roles.Admin);
        var csv = Csv(PlacementHeader, Placed("A-1", "D-1", ("phone", "(602) 555-0100"), ("region", "AZ"), ("postal_code", "85004"), ("city", "Phoenix")));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/v1/imports/placements", new StringContent(csv, Encoding.UTF8, "text/csv"), Cancel)).StatusCode);
        var debtorId = await app.WithDbAsync(db => db.Debtors.Select(d => d.Id).SingleAsync(Cancel));

        var before = await CallAsync(app, admin, "A-1");
        var stated = await admin.PatchAsync($"/api/v1/debtors/{debtorId}", JsonBody("""{"timeZone":"America/Phoenix"}"""), Cancel);
        var after = await CallAsync(app, admin, "A-1");

        Assert.False(before.GetProperty("allowed").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, stated.StatusCode);
        Assert.True(after.GetProperty("allowed").GetBoolean());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_address_with_only_a_country_leaves_the_new_york_phone_to_decide_at_noon_and_says_so(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 1, 12, 17, 0)); // noon in New York
        var admin = await app.ClientAsAsync(Roles.Admin);
        var csv = Csv(PlacementHeader, Placed("A-1", "D-1", ("address_line1", ""), ("city", ""), ("region", ""), ("postal_code", "")));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/v1/imports/placements", new StringContent(csv, Encoding.UTF8, "text/csv"), Cancel)).StatusCode);

        var decision = await CallAsync(app, admin, "A-1");

        Assert.True(decision.GetProperty("allowed").GetBoolean());
        Assert.Equal(["America/New_York"], Zones(decision));
        var note = decision.GetProperty("obligations").EnumerateArray().Single(o => o.GetProperty("rule").GetString() == "data.location");
        Assert.Contains("only its country (US)", note.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");
}
