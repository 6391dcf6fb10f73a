using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Debtors;

public sealed class DebtorApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 14, 0);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_debtor_is_created_with_normalised_contacts_and_a_zone_inferred_from_the_phone(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await RecordsSeed.CreditorAsync(app);
        var agent = await app.ClientAsAsync(Roles.Agent);

        var created = await agent.PostAsJsonAsync("/api/v1/debtors", RecordsSeed.Debtor(), Cancel);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync()).GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/debtors/{id}", created.Headers.Location?.ToString());
        var debtor = await (await agent.GetAsync($"/api/v1/debtors/{id}", Cancel)).JsonAsync();
        Assert.Equal("D-1", debtor.GetProperty("reference").GetString());
        Assert.Equal("person", debtor.GetProperty("kind").GetString());
        Assert.Equal("America/New_York", debtor.GetProperty("timeZone").GetString());
        var contacts = debtor.GetProperty("contacts").EnumerateArray().ToList();
        Assert.Equal("phone", contacts[0].GetProperty("kind").GetString());
        Assert.Equal("+12125550143", contacts[0].GetProperty("value").GetString());
        Assert.Equal("America/New_York", contacts[0].GetProperty("timeZone").GetString());
        Assert.Equal("granted", contacts[0].GetProperty("consent").GetString());
        Assert.Equal("jane.doe@example.com", contacts[1].GetProperty("value").GetString());
        Assert.Equal("unknown", contacts[1].GetProperty("consent").GetString());
        var preferences = debtor.GetProperty("preferences");
        Assert.Equal("email", preferences.GetProperty("channel").GetString());
        Assert.Equal("09:00", preferences.GetProperty("contactFrom").GetString());
        Assert.Equal("17:30", preferences.GetProperty("contactUntil").GetString());
        var flag = Assert.Single(debtor.GetProperty("flags").EnumerateArray());
        Assert.Equal("vulnerable", flag.GetProperty("kind").GetString());
        Assert.Equal("2026-02-01", flag.GetProperty("since").GetString());
        Assert.True(flag.GetProperty("inForce").GetBoolean());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Invalid_fields_are_each_named_in_one_validation_problem_and_nothing_is_saved(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await RecordsSeed.CreditorAsync(app);
        var agent = await app.ClientAsAsync(Roles.Agent);

        var response = await agent.PostAsJsonAsync("/api/v1/debtors", new
        {
            reference = "D-9",
            name = " ",
            country = "XX",
            timeZone = "Mars/Olympus_Mons",
            language = "english please",
            preferences = new { contactFrom = "25:00", contactUntil = "17:00" },
            contacts = new object[] { new { kind = "email", value = "not-an-email" } },
            flags = new object[] { new { kind = "deceased" } },
        }, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var fields = (await response.JsonAsync()).ErrorFields();
        Assert.Equal(["country", "language", "name", "timeZone"], fields.Order(StringComparer.Ordinal));
        Assert.Equal(0, await app.WithDbAsync(db => db.Debtors.CountAsync(Cancel)));

        var nested = await agent.PostAsJsonAsync("/api/v1/debtors", new
        {
            reference = "D-9",
            name = "Jane",
            country = "US",
            preferences = new { contactFrom = "25:00", contactUntil = "17:00" },
            contacts = new object[] { new { kind = "email", value = "not-an-email" }, new { kind = "phone", value = "12" } },
            flags = new object[] { new { kind = "deceased" } },
        }, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, nested.StatusCode);
        Assert.Equal(
            ["contacts[0].value", "contacts[1].value", "flags[0].since", "preferences.contactFrom"],
            (await nested.JsonAsync()).ErrorFields().Order(StringComparer.Ordinal));
        Assert.Equal(0, await app.WithDbAsync(db => db.Debtors.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_unknown_enum_value_or_malformed_json_is_a_problem_naming_the_field(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await RecordsSeed.CreditorAsync(app);
        var agent = await app.ClientAsAsync(Roles.Agent);

        var unknownKind = await agent.PostAsJsonAsync("/api/v1/debtors", new { reference = "D-2", kind = "robot", name = "R", country = "US" }, Cancel);
        var unknownContactKind = await agent.PostAsJsonAsync(
            "/api/v1/debtors", new { reference = "D-2", name = "R", country = "US", contacts = new[] { new { kind = "fax", value = "1" } } }, Cancel);
        var numericKind = await agent.PostAsJsonAsync("/api/v1/debtors", new { reference = "D-2", kind = 1, name = "R", country = "US" }, Cancel);
        var malformed = await agent.PostAsync(
            "/api/v1/debtors", new StringContent("{\"reference\": \"D-2\", \"name\": ", Encoding.UTF8, "application/json"), Cancel);

        foreach (var (response, field) in new[] { (unknownKind, "kind"), (unknownContactKind, "contacts[0].kind"), (numericKind, "kind") })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.JsonAsync();
            Assert.Equal([field], problem.ErrorFields());
            Assert.Contains("Use one of:", problem.GetProperty("errors").GetProperty(field)[0].GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
        Assert.Single((await malformed.JsonAsync()).ErrorFields());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_patch_changes_only_the_fields_it_names(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await RecordsSeed.CreditorAsync(app);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var id = await RecordsSeed.PostDebtorAsync(agent, RecordsSeed.Debtor());
        var before = await (await agent.GetAsync($"/api/v1/debtors/{id}", Cancel)).JsonAsync();
        var phoneId = before.GetProperty("contacts")[0].GetProperty("id").GetInt64();
        var emailId = before.GetProperty("contacts")[1].GetProperty("id").GetInt64();
        var flagId = before.GetProperty("flags")[0].GetProperty("id").GetInt64();

        var patched = await agent.PatchAsJsonAsync($"/api/v1/debtors/{id}", new
        {
            name = "Jane Q. Doe",
            language = (string?)null,
            preferences = new { channel = "sms" },
            contacts = new object[]
            {
                new { kind = "phone", value = "+44 20 7946 0018", label = "work" },
                new { id = emailId, consent = "optedOut" },
                new { id = phoneId, label = "cell" },
            },
            flags = new object[] { new { id = flagId, until = "2026-02-28" }, new { kind = "breathingSpace", since = "2026-03-01" } },
        }, Cancel);

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var debtor = await patched.JsonAsync();
        Assert.Equal("Jane Q. Doe", debtor.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, debtor.GetProperty("language").ValueKind);
        Assert.Equal("12 Orchard Street", debtor.GetProperty("addressLine1").GetString());
        Assert.Equal("sms", debtor.GetProperty("preferences").GetProperty("channel").GetString());
        Assert.Equal("09:00", debtor.GetProperty("preferences").GetProperty("contactFrom").GetString());
        Assert.Equal("Prefers short emails", debtor.GetProperty("preferences").GetProperty("toneNotes").GetString());
        var contacts = debtor.GetProperty("contacts").EnumerateArray().ToDictionary(c => c.GetProperty("value").GetString()!);
        Assert.Equal("cell", contacts["+12125550143"].GetProperty("label").GetString());
        Assert.Equal("optedOut", contacts["jane.doe@example.com"].GetProperty("consent").GetString());
        Assert.Equal("Europe/London", contacts["+442079460018"].GetProperty("timeZone").GetString());
        var flags = debtor.GetProperty("flags").EnumerateArray().ToList();
        Assert.Equal("2026-02-28", flags[0].GetProperty("until").GetString());
        Assert.False(flags[0].GetProperty("inForce").GetBoolean());
        Assert.Equal("breathingSpace", flags[1].GetProperty("kind").GetString());
        Assert.True(flags[1].GetProperty("inForce").GetBoolean());
        var consentChangedAt = await app.WithDbAsync(db => db.DebtorContacts.Where(c => c.Id == emailId).Select(c => c.ConsentChangedAt).SingleAsync(Cancel));
        Assert.Equal(Now, consentChangedAt);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_bad_patch_names_its_fields_and_changes_nothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await RecordsSeed.CreditorAsync(app);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var id = await RecordsSeed.PostDebtorAsync(agent, RecordsSeed.Debtor());

        var response = await agent.PatchAsJsonAsync($"/api/v1/debtors/{id}", new
        {
            name = "Janet",
            reference = "D-2",
            nmae = "typo",
        }, Cancel);
        var invalidContact = await agent.PatchAsJsonAsync($"/api/v1/debtors/{id}", new
        {
            name = "Janet",
            timeZone = "Nowhere/Land",
            contacts = new object[] { new { id = 999_999, label = "x" }, new { kind = "email", value = "JANE.DOE@example.com" } },
        }, Cancel);
        var missing = await agent.PatchAsJsonAsync("/api/v1/debtors/999999", new { name = "Nobody" }, Cancel);
        var unknownChannel = await agent.PatchAsJsonAsync($"/api/v1/debtors/{id}", new { preferences = new { channel = "pigeon" } }, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["nmae", "reference"], (await response.JsonAsync()).ErrorFields().Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, invalidContact.StatusCode);
        Assert.Equal(["contacts[0].id", "contacts[1].value", "timeZone"], (await invalidContact.JsonAsync()).ErrorFields().Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var channelProblem = await unknownChannel.JsonAsync();
        Assert.Equal(["preferences.channel"], channelProblem.ErrorFields());
        Assert.StartsWith("Not a known value. Use one of: call, email, sms", channelProblem.GetProperty("errors").GetProperty("preferences.channel")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("Jane Doe", await app.WithDbAsync(db => db.Debtors.Select(d => d.Name).SingleAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_second_debtor_with_the_same_reference_is_a_conflict(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await RecordsSeed.CreditorAsync(app);
        var agent = await app.ClientAsAsync(Roles.Agent);
        await RecordsSeed.PostDebtorAsync(agent, RecordsSeed.Debtor());

        var again = await agent.PostAsJsonAsync("/api/v1/debtors", RecordsSeed.Debtor(name: "Someone Else"), Cancel);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("reference", (await again.JsonAsync()).GetProperty("field").GetString());
        Assert.Equal(1, await app.WithDbAsync(db => db.Debtors.CountAsync(Cancel)));
    }
}
