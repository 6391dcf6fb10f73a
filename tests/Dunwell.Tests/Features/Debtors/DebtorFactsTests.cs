using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Debtors;

/// <summary>The debtor facts the compliance rules read: contact markers, consent expiry, stated location, inconvenient times, opt-out and consent flags.</summary>
public sealed class DebtorFactsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 14, 0);

    private static object DebtorWithFacts() => new
    {
        reference = "D-1",
        name = "Jane Doe",
        country = "US",
        locationTimeZone = "America/Denver",
        inconvenientTimes = new object[]
        {
            new { from = "22:00", until = "07:30" },
            new { from = "12:00", until = "13:00", days = new[] { "SUN", "sat", "sun" } },
        },
        contacts = new object[]
        {
            new { kind = "phone", value = "(212) 555-0143", consent = "granted", consentExpiresAt = "2026-09-01T00:00:00-04:00" },
            new { kind = "phone", value = "(212) 555-0199", label = "office", workplace = true, employerProhibits = true },
            new { kind = "email", value = "jane@example.com", inconvenientPlace = true },
        },
    };

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Contact_markers_consent_expiry_location_and_inconvenient_times_are_recorded_and_read_back(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        await RecordsSeed.CreditorAsync(app);
        var debtorId = await RecordsSeed.PostDebtorAsync(agent, DebtorWithFacts());
        var accountId = await RecordsSeed.PostAccountAsync(agent, RecordsSeed.Account(debtorId));

        var debtor = await (await agent.GetAsync($"/api/v1/debtors/{debtorId}", Cancel)).JsonAsync();
        var inAccount = (await (await agent.GetAsync($"/api/v1/accounts/{accountId}", Cancel)).JsonAsync()).GetProperty("debtor");

        foreach (var d in new[] { debtor, inAccount })
        {
            Assert.Equal("America/Denver", d.GetProperty("locationTimeZone").GetString());
            var times = d.GetProperty("inconvenientTimes").EnumerateArray().ToList();
            Assert.Equal(2, times.Count);
            Assert.Equal(("12:00", "13:00"), (times[0].GetProperty("from").GetString(), times[0].GetProperty("until").GetString()));
            Assert.Equal(["sat", "sun"], times[0].GetProperty("days").EnumerateArray().Select(x => x.GetString()));
            Assert.Equal(("22:00", "07:30"), (times[1].GetProperty("from").GetString(), times[1].GetProperty("until").GetString()));
            Assert.Equal(JsonValueKind.Null, times[1].GetProperty("days").ValueKind);
            var contacts = d.GetProperty("contacts").EnumerateArray().ToDictionary(c => c.GetProperty("value").GetString()!);
            var mobile = contacts["+12125550143"];
            Assert.Equal("2026-09-01T04:00:00+00:00", mobile.GetProperty("consentExpiresAt").GetString());
            Assert.False(mobile.GetProperty("workplace").GetBoolean());
            var office = contacts["+12125550199"];
            Assert.True(office.GetProperty("workplace").GetBoolean());
            Assert.True(office.GetProperty("employerProhibits").GetBoolean());
            Assert.Equal(JsonValueKind.Null, office.GetProperty("consentExpiresAt").ValueKind);
            Assert.True(contacts["jane@example.com"].GetProperty("inconvenientPlace").GetBoolean());
        }

        var stored = await app.WithDbAsync(db => db.Set<Dunwell.Data.DebtorInconvenientTime>().OrderBy(t => t.From).Select(t => t.Days).ToListAsync(Cancel));
        Assert.Equal(new string?[] { "sat,sun", null }, stored);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_patch_replaces_the_inconvenient_times_and_changes_only_the_markers_it_names(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await RecordsSeed.CreditorAsync(app);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var id = await RecordsSeed.PostDebtorAsync(agent, DebtorWithFacts());
        var before = (await (await agent.GetAsync($"/api/v1/debtors/{id}", Cancel)).JsonAsync()).GetProperty("contacts").EnumerateArray()
            .ToDictionary(c => c.GetProperty("value").GetString()!, c => c.GetProperty("id").GetInt64());

        var patched = await agent.PatchAsJsonAsync($"/api/v1/debtors/{id}", new
        {
            locationTimeZone = (string?)null,
            inconvenientTimes = new object[] { new { from = "09:00", until = "17:00", days = new[] { "mon", "fri" } } },
            contacts = new object[]
            {
                new { id = before["+12125550143"], consentExpiresAt = (string?)null },
                new { id = before["+12125550199"], employerProhibits = false },
                new { id = before["jane@example.com"], consent = "granted", consentExpiresAt = "2026-04-01T00:00:00Z" },
            },
        }, Cancel);

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var debtor = await patched.JsonAsync();
        Assert.Equal(JsonValueKind.Null, debtor.GetProperty("locationTimeZone").ValueKind);
        var time = Assert.Single(debtor.GetProperty("inconvenientTimes").EnumerateArray());
        Assert.Equal(["mon", "fri"], time.GetProperty("days").EnumerateArray().Select(x => x.GetString()));
        var contacts = debtor.GetProperty("contacts").EnumerateArray().ToDictionary(c => c.GetProperty("value").GetString()!);
        Assert.Equal(JsonValueKind.Null, contacts["+12125550143"].GetProperty("consentExpiresAt").ValueKind);
        Assert.Equal("granted", contacts["+12125550143"].GetProperty("consent").GetString());
        Assert.True(contacts["+12125550199"].GetProperty("workplace").GetBoolean());
        Assert.False(contacts["+12125550199"].GetProperty("employerProhibits").GetBoolean());
        Assert.Equal("2026-04-01T00:00:00+00:00", contacts["jane@example.com"].GetProperty("consentExpiresAt").GetString());
        Assert.True(contacts["jane@example.com"].GetProperty("inconvenientPlace").GetBoolean());
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<Dunwell.Data.DebtorInconvenientTime>().CountAsync(Cancel)));

        // A new consent state starts afresh: opting out drops the expiry of the consent it replaces.
        var optedOut = await agent.PatchAsJsonAsync($"/api/v1/debtors/{id}", new
        {
            inconvenientTimes = (object?)null,
            contacts = new object[] { new { id = before["jane@example.com"], consent = "optedOut" } },
        }, Cancel);

        Assert.Equal(HttpStatusCode.OK, optedOut.StatusCode);
        var email = (await optedOut.JsonAsync()).GetProperty("contacts").EnumerateArray().Single(c => c.GetProperty("value").GetString() == "jane@example.com");
        Assert.Equal(JsonValueKind.Null, email.GetProperty("consentExpiresAt").ValueKind);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Dunwell.Data.DebtorInconvenientTime>().CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_whole_day_range_is_taken_as_00_00_to_24_00_and_refuses_noon_that_day_with_the_reason(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        await RecordsSeed.CreditorAsync(app);
        var debtorId = await RecordsSeed.PostDebtorAsync(agent, DebtorWithFacts());
        var accountId = await RecordsSeed.PostAccountAsync(agent, RecordsSeed.Account(debtorId));

        // "Not on Saturdays at all, nor Sundays": said as 00:00 to 24:00, or as 00:00 to 00:00.
        var patch = await agent.PatchAsJsonAsync($"/api/v1/debtors/{debtorId}", new
        {
            inconvenientTimes = new object[]
            {
                new { from = "00:00", until = "24:00", days = new[] { "sat" } },
                new { from = "00:00", until = "00:00", days = new[] { "sun" } },
                new { from = "22:00", until = "07:30" },
            },
        }, Cancel);
        var times = (await (await agent.GetAsync($"/api/v1/debtors/{debtorId}", Cancel)).JsonAsync()).GetProperty("inconvenientTimes").EnumerateArray()
            .Select(t => (t.GetProperty("from").GetString(), t.GetProperty("until").GetString())).ToList();
        async Task<JsonElement> CallAsync(string at) =>
            await (await agent.GetAsync($"/api/v1/accounts/{accountId}/contact-eligibility?channel=call&at={Uri.EscapeDataString(at)}", Cancel)).JsonAsync();
        var saturdayNoon = await CallAsync("2026-03-07T12:00:00-07:00");
        var sundayNoon = await CallAsync("2026-03-08T12:00:00-06:00"); // Denver's clocks went forward at 02:00
        var fridayNoon = await CallAsync("2026-03-06T12:00:00-07:00");

        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal([("00:00", "24:00"), ("00:00", "24:00"), ("22:00", "07:30")], times);
        Assert.False(saturdayNoon.GetProperty("allowed").GetBoolean());
        var reason = saturdayNoon.GetProperty("reasons").EnumerateArray().Single(r => r.GetProperty("rule").GetString() == "us.reg-f.designated-inconvenient-time");
        Assert.Contains("the whole of Saturday is inconvenient", reason.GetProperty("message").GetString(), StringComparison.Ordinal);
        // Saturday, Sunday, then Sunday night until 07:30: Monday once the hours open at 08:00 in Denver.
        Assert.Equal(Instant.FromUtc(2026, 3, 9, 14, 0), Instant.FromDateTimeOffset(saturdayNoon.GetProperty("nextAllowedAt").GetDateTimeOffset()));
        Assert.Contains("us.reg-f.designated-inconvenient-time", sundayNoon.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("rule").GetString()));
        Assert.DoesNotContain("us.reg-f.designated-inconvenient-time", fridayNoon.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("rule").GetString()));

        var refused = await agent.PatchAsJsonAsync($"/api/v1/debtors/{debtorId}", new
        {
            inconvenientTimes = new object[] { new { from = "24:00", until = "06:00" }, new { from = "09:00", until = "09:00" } },
        }, Cancel);
        var problem = await refused.JsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(["inconvenientTimes[0].from", "inconvenientTimes[1].until"], problem.ErrorFields().Order(StringComparer.Ordinal));
        Assert.Contains("for the whole day give 00:00 to 24:00", problem.GetProperty("errors").GetProperty("inconvenientTimes[1].until")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(3, await app.WithDbAsync(db => db.Set<Dunwell.Data.DebtorInconvenientTime>().CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Bad_facts_are_each_named_and_nothing_is_saved(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await RecordsSeed.CreditorAsync(app);
        var agent = await app.ClientAsAsync(Roles.Agent);

        var created = await agent.PostAsJsonAsync("/api/v1/debtors", new
        {
            reference = "D-2",
            name = "Jane",
            country = "US",
            inconvenientTimes = new object?[]
            {
                new { from = "09:00", until = "09:00" },
                new { from = "9am", until = "10:00" },
                new { until = "10:00", days = new[] { "sat", "caturday" } },
                new { from = "08:00", until = "09:00", days = Array.Empty<string>() },
                null,
            },
            contacts = new object[]
            {
                new { kind = "phone", value = "(212) 555-0143", consentExpiresAt = "2026-09-01T00:00:00Z" },
                new { kind = "email", value = "jane@example.com", employerProhibits = true },
            },
        }, Cancel);
        var badInstant = await agent.PostAsJsonAsync("/api/v1/debtors", new
        {
            reference = "D-3",
            name = "Jane",
            country = "US",
            contacts = new object[] { new { kind = "phone", value = "(212) 555-0143", consent = "granted", consentExpiresAt = "next week" } },
        }, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        Assert.Equal(
            [
                "contacts[0].consentExpiresAt", "contacts[1].employerProhibits", "inconvenientTimes[0].until", "inconvenientTimes[1].from",
                "inconvenientTimes[2].days[1]", "inconvenientTimes[2].from", "inconvenientTimes[3].days", "inconvenientTimes[4]",
            ],
            (await created.JsonAsync()).ErrorFields().Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, badInstant.StatusCode);
        var instantProblem = await badInstant.JsonAsync();
        Assert.Equal(["contacts[0].consentExpiresAt"], instantProblem.ErrorFields());
        Assert.StartsWith("'next week' is not an instant", instantProblem.GetProperty("errors").GetProperty("contacts[0].consentExpiresAt")[0].GetString(), StringComparison.Ordinal);
        var badZone = await agent.PostAsJsonAsync("/api/v1/debtors", new { reference = "D-4", name = "Jane", country = "US", locationTimeZone = "Mars/Olympus_Mons" }, Cancel);
        Assert.Equal(["locationTimeZone"], (await badZone.JsonAsync()).ErrorFields());
        Assert.Equal(0, await app.WithDbAsync(db => db.Debtors.CountAsync(Cancel)));

        var id = await RecordsSeed.PostDebtorAsync(agent, DebtorWithFacts());
        var patch = await agent.PatchAsJsonAsync($"/api/v1/debtors/{id}", new
        {
            name = "Janet",
            locationTimeZone = "Nowhere/Land",
            inconvenientTimes = new object[] { new { from = "10:00", until = "10:00" } },
        }, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, patch.StatusCode);
        Assert.Equal(["inconvenientTimes[0].until", "locationTimeZone"], (await patch.JsonAsync()).ErrorFields().Order(StringComparer.Ordinal));
        var debtor = await app.WithDbAsync(db => db.Debtors.Include(d => d.InconvenientTimes).SingleAsync(Cancel));
        Assert.Equal(("Jane Doe", "America/Denver", 2), (debtor.Name, debtor.LocationTimeZone, debtor.InconvenientTimes.Count));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_contact_carrying_the_customers_wish_is_neither_removed_nor_rewritten_so_the_number_cannot_come_back_unmarked(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await RecordsSeed.CreditorAsync(app);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var id = await RecordsSeed.PostDebtorAsync(agent, DebtorWithFacts());
        var url = $"/api/v1/debtors/{id}";
        var ids = (await (await agent.GetAsync(url, Cancel)).JsonAsync()).GetProperty("contacts").EnumerateArray()
            .ToDictionary(c => c.GetProperty("value").GetString()!, c => c.GetProperty("id").GetInt64());
        var phone = ids["+12125550143"];
        Assert.Equal(HttpStatusCode.OK, (await agent.PatchAsJsonAsync(url, new { contacts = new object[] { new { id = phone, consent = "optedOut" } } }, Cancel)).StatusCode);

        var removed = await agent.PatchAsJsonAsync(url, new { contacts = new object[] { new { id = phone, remove = true } } }, Cancel);
        var rewritten = await agent.PatchAsJsonAsync(url, new { contacts = new object[] { new { id = phone, value = "(212) 555-0150" } } }, Cancel);
        var readded = await agent.PatchAsJsonAsync(url, new { contacts = new object[] { new { kind = "phone", value = "212-555-0143" } } }, Cancel);
        var inconvenientPlace = await agent.PatchAsJsonAsync(url, new { contacts = new object[] { new { id = ids["jane@example.com"], remove = true } } }, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, removed.StatusCode);
        var problem = await removed.JsonAsync();
        Assert.Equal(["contacts[0].remove"], problem.ErrorFields());
        var message = problem.GetProperty("errors").GetProperty("contacts[0].remove")[0].GetString();
        Assert.Contains($"Contact {phone} (+12125550143)", message, StringComparison.Ordinal);
        Assert.Contains("opted out", message, StringComparison.Ordinal);
        Assert.Equal(["contacts[0].value"], (await rewritten.JsonAsync()).ErrorFields());
        Assert.Equal(["contacts[0].value"], (await readded.JsonAsync()).ErrorFields());
        Assert.Contains("inconvenient place", (await inconvenientPlace.JsonAsync()).GetProperty("errors").GetProperty("contacts[0].remove")[0].GetString(), StringComparison.Ordinal);
        var kept = await app.WithDbAsync(db => db.DebtorContacts.Where(c => c.Id == phone).Select(c => new { c.Value, c.Consent }).SingleAsync(Cancel));
        Assert.Equal(("+12125550143", ConsentState.OptedOut), (kept.Value, kept.Consent));

        // Once the customer takes the wish back, the contact is an ordinary one again and may go.
        var withdrawn = await agent.PatchAsJsonAsync(url, new { contacts = new object[] { new { id = phone, consent = "unknown" } } }, Cancel);
        var removedAfter = await agent.PatchAsJsonAsync(url, new { contacts = new object[] { new { id = phone, remove = true } } }, Cancel);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (withdrawn.StatusCode, removedAfter.StatusCode));
        Assert.False(await app.WithDbAsync(db => db.DebtorContacts.AnyAsync(c => c.Id == phone, Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_opt_out_and_consent_flags_go_through_the_flags_api_by_their_camel_case_names(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await RecordsSeed.CreditorAsync(app);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var id = await RecordsSeed.PostDebtorAsync(agent, RecordsSeed.Debtor());
        string[] kinds = ["optOutCalls", "optOutSms", "optOutEmail", "optOutLetters", "consentToInconvenientTimes", "consentToCalls"];

        var patched = await agent.PatchAsJsonAsync($"/api/v1/debtors/{id}", new
        {
            flags = kinds.Select(kind => new { kind, since = "2026-03-01" }).ToArray(),
        }, Cancel);

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var flags = (await (await agent.GetAsync($"/api/v1/debtors/{id}", Cancel)).JsonAsync()).GetProperty("flags").EnumerateArray()
            .Select(f => f.GetProperty("kind").GetString()).ToList();
        Assert.All(kinds, kind => Assert.Contains(kind, flags));
        Assert.Equal(DebtorFlagKind.ConsentToCalls, await app.WithDbAsync(db => db.Set<Dunwell.Data.DebtorFlag>().OrderByDescending(f => f.Id).Select(f => f.Kind).FirstAsync(Cancel)));
    }
}
