using System.Net;
using System.Net.Http.Json;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Dunwell.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Creditors;

/// <summary>/api/v1/creditors: creditors are managed, not only guessed from a placement file.</summary>
public sealed class CreditorsApiTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 14, 0);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static object NewCreditor(string reference = "NWU") => new
    {
        reference,
        name = "Northwind Utilities Ltd",
        jurisdictionPack = "UK-FCA",
        timeZone = "Europe/London",
        displayName = "Northwind",
        contactEmail = "help@northwind.example",
        contactPhone = "+44 20 7946 0958",
        senderName = "Northwind Accounts",
        senderEmail = "accounts@northwind.example",
        accentColour = "#1f6feb",
    };

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_admin_for_every_creditor_adds_reads_and_changes_a_creditor_and_each_change_is_audited(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var admin = await app.ClientAsAsync(Roles.Admin);

        var added = await admin.PostAsJsonAsync("/api/v1/creditors", NewCreditor(), Cancel);
        var again = await admin.PostAsJsonAsync("/api/v1/creditors", NewCreditor(), Cancel);
        var changed = await admin.PatchAsJsonAsync("/api/v1/creditors/NWU", new { contactPhone = "", website = "https://northwind.example" }, Cancel);
        var read = await (await admin.GetAsync("/api/v1/creditors/NWU", Cancel)).JsonAsync();

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal("/api/v1/creditors/NWU", added.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("UK-FCA", read.GetProperty("jurisdictionPack").GetString());
        Assert.Equal("Northwind Accounts", read.GetProperty("senderName").GetString());
        Assert.Equal("https://northwind.example", read.GetProperty("website").GetString());
        Assert.True(read.GetProperty("contactPhone").ValueKind is System.Text.Json.JsonValueKind.Null || read.GetProperty("contactPhone").GetString() is null or "");
        var actions = await app.WithDbAsync(db => db.AuditEvents.Where(e => e.Subject.StartsWith("creditor:")).Select(e => e.Action).ToListAsync(Cancel));
        Assert.Contains("creditor.create", actions);
        Assert.Contains("creditor.update", actions);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Bad_details_are_each_named_and_nothing_is_saved(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var admin = await app.ClientAsAsync(Roles.Admin);

        var bad = await admin.PostAsJsonAsync("/api/v1/creditors", new
        {
            reference = "has space",
            name = "",
            jurisdictionPack = "MARS",
            timeZone = "Mars/Olympus_Mons",
            contactEmail = "not-an-email",
            accentColour = "red; background:url(x)",
        }, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var fields = (await bad.JsonAsync()).ErrorFields();
        Assert.Superset(new HashSet<string> { "reference", "name", "jurisdictionPack", "timeZone", "contactEmail", "accentColour" }, fields.ToHashSet());
        Assert.Equal(0, await app.WithDbAsync(db => db.Creditors.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_scoped_admin_may_change_its_creditor_but_not_add_one_or_see_another_and_an_agent_changes_nothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await RecordsSeed.CreditorAsync(app, "ACME");
        await RecordsSeed.CreditorAsync(app, "BETA");
        var acmeAdmin = await app.ClientAsAsync(Roles.Admin, "ACME");
        var agent = await app.ClientAsAsync(Roles.Agent, "ACME");

        var add = await acmeAdmin.PostAsJsonAsync("/api/v1/creditors", NewCreditor(), Cancel);
        var own = await acmeAdmin.PatchAsJsonAsync("/api/v1/creditors/ACME", new { displayName = "Acme" }, Cancel);
        var other = await acmeAdmin.PatchAsJsonAsync("/api/v1/creditors/BETA", new { displayName = "Beta" }, Cancel);
        var byAgent = await agent.PatchAsJsonAsync("/api/v1/creditors/ACME", new { displayName = "Agent was here" }, Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byAgent.StatusCode);
        Assert.Equal(2, await app.WithDbAsync(db => db.Creditors.CountAsync(Cancel)));
        Assert.Equal("Acme", await app.WithDbAsync(db => db.Creditors.Where(c => c.Reference == "ACME").Select(c => c.DisplayName).SingleAsync(Cancel)));
    }
}
