using System.Net;
using System.Net.Http.Json;
using Dunwell.Domain.Accounts;
using Dunwell.Features.Templates;
using Dunwell.Tests.Features.Pages;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Templates;

/// <summary>Templates through the API: read by any role, saved as new versions by supervisors, refused with reasons, previewed with findings.</summary>
public sealed class TemplatesApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 16, 0);

    private const string GoodSms = "{{ creditor.name }}: a reminder about account {{ account.reference }}. {{ required.disclosure }} {{ required.opt_out }}";

    private static object Draft(string body, string creditor = "NWU") =>
        new { creditor, purpose = "pre-due-reminder", channel = "sms", language = "en", variant = "consumer", body };

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_supervisor_saves_a_new_version_and_bad_templates_are_refused_with_the_reason(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        await TemplateSeed.AccountAsync(app);
        var supervisor = await app.ClientAsAsync(Roles.Supervisor, "NWU");
        var agent = await app.ClientAsAsync(Roles.Agent, "NWU");

        var saved = await supervisor.PostAsJsonAsync("/api/v1/templates", Draft(GoodSms), Cancel);
        var again = await supervisor.PostAsJsonAsync("/api/v1/templates", Draft(GoodSms + " Thanks."), Cancel);
        var noOptOut = await supervisor.PostAsJsonAsync("/api/v1/templates", Draft("{{ required.disclosure }} Pay now."), Cancel);
        var broken = await supervisor.PostAsJsonAsync("/api/v1/templates", Draft("{% if %} " + GoodSms), Cancel);
        var threat = await supervisor.PostAsJsonAsync("/api/v1/templates", Draft("Pay or we will have you arrested. " + GoodSms), Cancel);
        var byAgent = await agent.PostAsJsonAsync("/api/v1/templates", Draft(GoodSms), Cancel);
        var defaultSet = await supervisor.PostAsJsonAsync("/api/v1/templates", new { purpose = "pre-due-reminder", channel = "sms", language = "en", variant = "consumer", body = GoodSms }, Cancel);

        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        Assert.Equal(2, (await again.JsonAsync()).GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, noOptOut.StatusCode);
        Assert.Contains("required.opt_out", await noOptOut.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Contains("not valid Liquid", await broken.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, threat.StatusCode);
        Assert.Contains("linter blocks", await threat.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, byAgent.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, defaultSet.StatusCode);
        var history = await (await agent.GetAsync("/api/v1/templates/history?creditor=NWU&purpose=pre-due-reminder&channel=Sms&language=en&variant=Consumer", Cancel)).JsonAsync();
        Assert.Equal([2, 1], history.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Another_creditors_templates_and_accounts_read_as_not_found(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await TemplateSeed.AccountAsync(app);
        await TemplateSeed.AccountAsync(app, creditor: "OTH", reference: "OTH-1");
        var other = await app.ClientAsAsync(Roles.Supervisor, "OTH");

        var save = await other.PostAsJsonAsync("/api/v1/templates", Draft(GoodSms), Cancel);
        var preview = await other.PostAsJsonAsync("/api/v1/templates/preview", new { accountId, template = Draft(GoodSms, "OTH") }, Cancel);

        Assert.Equal(HttpStatusCode.NotFound, save.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, preview.StatusCode);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_preview_renders_against_the_account_and_shows_a_threat_as_blocking(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await TemplateSeed.AccountAsync(app);
        var agent = await app.ClientAsAsync(Roles.Agent, "NWU");

        var preview = await (await agent.PostAsJsonAsync("/api/v1/templates/preview",
            new { accountId, template = Draft("We will take you to court. " + GoodSms) }, Cancel)).JsonAsync();

        Assert.Contains("account NWU-100001", preview.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("block", preview.GetProperty("verdict").GetString());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_invoice_copy_is_queued_once_a_day_with_the_validation_notice_the_first_time(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await TemplateSeed.AccountAsync(app);
        var agent = await app.ClientAsAsync(Roles.Agent, "NWU");

        var first = await (await agent.PostAsync($"/api/v1/accounts/{accountId}/invoice-copy", null, Cancel)).JsonAsync();
        var second = await (await agent.PostAsync($"/api/v1/accounts/{accountId}/invoice-copy", null, Cancel)).JsonAsync();
        app.Clock.Advance(TimeSpan.FromDays(1));
        var nextDay = await (await agent.PostAsync($"/api/v1/accounts/{accountId}/invoice-copy", null, Cancel)).JsonAsync();

        Assert.False(first.GetProperty("alreadyQueued").GetBoolean());
        Assert.True(second.GetProperty("alreadyQueued").GetBoolean());
        Assert.False(nextDay.GetProperty("alreadyQueued").GetBoolean());
        var keys = await app.WithDbAsync(db => db.Outbox.OrderBy(m => m.Id).Select(m => m.TemplateKey).ToListAsync(Cancel));
        Assert.Equal([TemplatePurposes.InvoiceCopy, TemplatePurposes.ValidationNotice, TemplatePurposes.InvoiceCopy], keys);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_business_account_gets_no_validation_notice(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await TemplateSeed.AccountAsync(app, pack: "B2B-UK", kind: AccountKind.Commercial, currency: "GBP", zone: "Europe/London");
        var agent = await app.ClientAsAsync(Roles.Agent, "NWU");

        await agent.PostAsync($"/api/v1/accounts/{accountId}/invoice-copy", null, Cancel);

        Assert.Equal([TemplatePurposes.InvoiceCopy], await app.WithDbAsync(db => db.Outbox.Select(m => m.TemplateKey).ToListAsync(Cancel)));
    }

    [Fact]
    public async Task The_editor_page_previews_a_typed_threat_with_a_blocking_finding()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = await TestApp.StartAsync(database, Now);
        await TemplateSeed.AccountAsync(app);
        var client = await PageSession.SignedInAsync(app, Roles.Supervisor, "NWU");
        var url = "/templates/edit?purpose=pre-due-reminder&channel=Sms&language=en&variant=Consumer&creditor=NWU";

        var response = await PageSession.SubmitAsync(client, url, "template", new()
        {
            ["Posted.Body"] = "Pay today or we will have you arrested. " + GoodSms,
            ["Posted.Account"] = "NWU-100001",
            ["Posted.Action"] = "preview",
        });
        var html = await response.Content.ReadAsStringAsync(Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Linter: block", html, StringComparison.Ordinal);
        Assert.Contains("finding-block", html, StringComparison.Ordinal);
        Assert.Contains("account NWU-100001", html, StringComparison.Ordinal);
    }
}
