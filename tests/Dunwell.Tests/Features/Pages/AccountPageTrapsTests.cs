using System.Net;
using System.Text.RegularExpressions;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Arrangements;
using Dunwell.Features.CreditorPolicies;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Pages;

/// <summary>The account page's traps (issue 10, items 13 to 17): what it says, what it refuses, and what one click does.</summary>
public sealed partial class AccountPageTrapsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 15, 0);

    private const string Words = "Your%20account%20is%20suspended.%20Call%20555-0100";

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_notice_travels_as_a_code_naming_a_record_and_words_in_the_address_are_never_shown(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await PageSession.SeedAccountAsync(app);
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);
        var supervisor = await PageSession.SignedInAsync(app, Roles.Supervisor);

        var recorded = await PageSession.SubmitAsync(agent, $"/accounts/{accountId}", "",
            new() { ["receivedAt"] = "2026-03-02T09:00", ["written"] = "oral", ["note"] = "Says it was paid" }, $"/accounts/{accountId}/disputes");
        var disputeId = await app.WithDbAsync(db => db.Disputes.Select(d => d.Id).SingleAsync(Cancel));
        var landed = await Html(agent, recorded.Headers.Location!.ToString());
        var forged = await Html(agent, $"/accounts/{accountId}?arrangement={Words}&dispute={Words}&facts={Words}&charges={Words}&done={Words}&id=1");
        var wrongRecord = await Html(agent, $"/accounts/{accountId}?done=dispute&id={disputeId + 99}");
        var approvals = await Html(supervisor, $"/approvals?done={Words}&id=1");
        var notDecided = await Html(supervisor, $"/approvals?done=approved&id={disputeId}");

        Assert.Equal($"/accounts/{accountId}?done=dispute&id={disputeId}#disputes-title", recorded.Headers.Location!.OriginalString);
        Assert.Contains("Dispute recorded: the whole debt", landed, StringComparison.Ordinal);
        foreach (var page in new[] { forged, wrongRecord, approvals, notDecided })
        {
            Assert.DoesNotContain("suspended", page, StringComparison.Ordinal);
            Assert.DoesNotContain("555-0100", page, StringComparison.Ordinal);
            Assert.DoesNotContain("role=\"status\"", page, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_refused_proposal_comes_back_in_red_as_an_alert_with_what_was_typed_and_nothing_saved(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await PageSession.SeedAccountAsync(app);
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);

        var refused = await PageSession.SubmitAsync(agent, $"/accounts/{accountId}", "",
            new() { ["kind"] = "plan", ["firstPaymentOn"] = "2026-03-09", ["frequency"] = "weekly", ["instalments"] = "300", ["downPayment"] = "" },
            $"/accounts/{accountId}/arrangements");
        var html = await refused.Content.ReadAsStringAsync(Cancel);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("text/html", refused.Content.Headers.ContentType?.MediaType);
        var alert = RefusalOf("propose-plan").Match(html);
        Assert.True(alert.Success, "No red alert beside the plan form.");
        Assert.Contains("Not proposed:", alert.Value, StringComparison.Ordinal);
        Assert.Contains("is longer than the 12 months policy allows", alert.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("notice-ok", html, StringComparison.Ordinal);
        Assert.Contains("id=\"plan-count\" name=\"instalments\" type=\"number\" min=\"2\" max=\"520\" value=\"300\"", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"weekly\" selected", html, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Arrangements.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Rejecting_without_a_note_is_an_alert_beside_that_proposal_not_a_success(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await PageSession.SeedAccountAsync(app);
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);
        var supervisor = await PageSession.SignedInAsync(app, Roles.Supervisor);
        await PageSession.SubmitAsync(agent, $"/accounts/{accountId}", "",
            new() { ["kind"] = "plan", ["firstPaymentOn"] = "2026-03-09", ["frequency"] = "monthly", ["instalments"] = "9" }, $"/accounts/{accountId}/arrangements");
        var arrangementId = await app.WithDbAsync(db => db.Arrangements.Select(a => a.Id).SingleAsync(Cancel));

        var refused = await PageSession.SubmitAsync(supervisor, "/approvals", "", new() { ["decision"] = "reject", ["note"] = " " }, $"/approvals/{arrangementId}");
        var html = await refused.Content.ReadAsStringAsync(Cancel);
        var approved = await PageSession.SubmitAsync(supervisor, "/approvals", "", new() { ["decision"] = "approve", ["note"] = "Agreed" }, $"/approvals/{arrangementId}");
        var landed = await Html(supervisor, approved.Headers.Location!.ToString());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Matches(RefusalOf($"decide-{arrangementId}"), html);
        Assert.DoesNotContain("notice-ok", html, StringComparison.Ordinal);
        Assert.Equal($"/approvals?done=approved&id={arrangementId}", approved.Headers.Location!.OriginalString);
        Assert.Contains("Approved: Plan of 9 monthly payments", landed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task No_flag_is_chosen_for_the_agent_and_a_cease_is_recorded_only_after_saying_what_it_stops(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await PageSession.SeedAccountAsync(app);
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);
        var fields = new Dictionary<string, string> { ["kind"] = "CeaseCommunication", ["since"] = "2026-03-02", ["note"] = "Letter received" };

        var page = await Html(agent, $"/accounts/{accountId}");
        var asked = await PageSession.SubmitAsync(agent, $"/accounts/{accountId}", "", new(fields), $"/accounts/{accountId}/facts/flags");
        var question = await asked.Content.ReadAsStringAsync(Cancel);
        var flagsAfterAsking = await app.WithDbAsync(db => db.DebtorFlags.CountAsync(Cancel));
        var confirmed = await PageSession.SubmitAsync(agent, $"/accounts/{accountId}", "", new(fields) { ["confirmed"] = "yes" }, $"/accounts/{accountId}/facts/flags");
        var vulnerable = await PageSession.SubmitAsync(agent, $"/accounts/{accountId}", "",
            new() { ["kind"] = "Vulnerable", ["since"] = "2026-03-02" }, $"/accounts/{accountId}/facts/flags");

        Assert.Contains("<option value selected>Choose a flag…</option>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<option value=\"CeaseCommunication\" selected", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<details class=\"facts-form\" open", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, asked.StatusCode);
        Assert.Contains("stops every call, text, email and letter", question, StringComparison.Ordinal);
        Assert.Contains("name=\"confirmed\" value=\"yes\"", question, StringComparison.Ordinal);
        Assert.Contains("value=\"Letter received\"", question, StringComparison.Ordinal);
        Assert.Equal(0, flagsAfterAsking);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, vulnerable.StatusCode); // no question for a flag that silences nothing
        Assert.Equal(2, await app.WithDbAsync(db => db.DebtorFlags.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_lump_sum_settlement_is_proposed_from_its_own_form_and_a_mistyped_field_is_a_page_not_json(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await PageSession.SeedAccountAsync(app);
        await app.WithDbAsync(async db =>
        {
            var creditorId = await db.Creditors.Select(c => c.Id).SingleAsync(Cancel);
            await PolicyStore.SaveAsync(db, creditorId,
                CreditorPolicy.Default with { Settlement = new SettlementRules(true, [new DiscountBand(0, 2_000)], [], 30) }, "admin", Now, Cancel);
            await db.SaveChangesAsync(Cancel);
        });
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);

        var page = await Html(agent, $"/accounts/{accountId}");
        var mistyped = await PageSession.SubmitAsync(agent, $"/accounts/{accountId}", "",
            new() { ["kind"] = "settlement", ["total"] = "1110.00", ["firstPaymentOn"] = "2026-03-20", ["instalments"] = "three", ["frequency"] = "" },
            $"/accounts/{accountId}/arrangements");
        var lumpSum = await PageSession.SubmitAsync(agent, $"/accounts/{accountId}", "",
            new() { ["kind"] = "settlement", ["total"] = "1110.00", ["firstPaymentOn"] = "2026-03-20", ["instalments"] = "", ["frequency"] = "" },
            $"/accounts/{accountId}/arrangements");
        var landed = await Html(agent, lumpSum.Headers.Location!.ToString());

        var settlementForm = Regex.Match(page, "<form[^>]*id=\"propose-settlement\".*?</form>", RegexOptions.Singleline).Value;
        Assert.Contains("name=\"total\"", settlementForm, StringComparison.Ordinal);
        Assert.Contains("<option value selected>One lump sum</option>", settlementForm, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"downPayment\"", settlementForm, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, mistyped.StatusCode);
        Assert.Equal("text/html", mistyped.Content.Headers.ContentType?.MediaType);
        Assert.Contains("The number of payments must be a whole number", await mistyped.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, lumpSum.StatusCode);
        var saved = await app.WithDbAsync(db => db.Arrangements.Include(a => a.Instalments).SingleAsync(Cancel));
        Assert.Equal((ArrangementKind.Settlement, 111_000L, 1), (saved.Kind, saved.TotalMinor, saved.Instalments.Count));
        Assert.Contains("Agreed: Settlement", landed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Each_offer_fills_its_form_and_the_agent_sees_the_plan_they_may_agree_alone(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await PageSession.SeedAccountAsync(app);
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);

        var page = await Html(agent, $"/accounts/{accountId}");
        var offers = Regex.Match(page, "<ul class=\"offers\" id=\"offers\">.*?</ul>", RegexOptions.Singleline).Value.Split("<li>");
        var twelve = Assert.Single(offers, o => o.Contains(" 12 monthly payments", StringComparison.Ordinal));
        var six = Assert.Single(offers, o => o.Contains(" 6 monthly payments", StringComparison.Ordinal));
        var offer = Regex.Match(six, "\\?offer=(\\d+)#propose-plan").Groups[1].Value;
        var filled = await Html(agent, $"/accounts/{accountId}?offer={offer}");

        Assert.Contains("needs a supervisor&#x27;s approval", twelve, StringComparison.Ordinal);
        Assert.Contains("within your authority", six, StringComparison.Ordinal);
        Assert.All(offers.Skip(1), o => Assert.Contains("Use these terms", o, StringComparison.Ordinal));
        Assert.Contains("id=\"plan-count\" name=\"instalments\" type=\"number\" min=\"2\" max=\"520\" value=\"6\"", filled, StringComparison.Ordinal);
        Assert.Contains("<option value=\"monthly\" selected", filled, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_plan_no_supervisor_may_approve_says_it_is_beyond_every_role(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await PageSession.SeedAccountAsync(app);
        await app.WithDbAsync(async db =>
        {
            var creditorId = await db.Creditors.Select(c => c.Id).SingleAsync(Cancel);
            await PolicyStore.SaveAsync(db, creditorId, CreditorPolicy.Default with { Plan = CreditorPolicy.Default.Plan with { MaxMonths = 24 } }, "admin", Now, Cancel);
            await db.SaveChangesAsync(Cancel);
        });
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);

        var page = await Html(agent, $"/accounts/{accountId}");
        var offers = Regex.Match(page, "<ul class=\"offers\" id=\"offers\">.*?</ul>", RegexOptions.Singleline).Value.Split("<li>");

        Assert.Contains("beyond every role&#x27;s authority; change the policy", Assert.Single(offers, o => o.Contains(" 24 monthly payments", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("within your authority", Assert.Single(offers, o => o.Contains(" 6 monthly payments", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_missing_page_is_an_html_page_and_a_missing_api_route_stays_problem_details(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);
        var api = await app.ClientAsAsync(Roles.Agent);

        var page = await agent.GetAsync("/accounts/1/nothing-here", Cancel);
        var gone = await PageSession.SubmitAsync(agent, "/accounts", "", new() { ["receivedAt"] = "2026-03-02T09:00", ["written"] = "oral" }, "/accounts/999/disputes");
        var route = await api.GetAsync("/api/v1/nothing-here", Cancel);
        var mistypedElsewhere = await PageSession.SubmitAsync(agent, "/accounts", "", new() { ["kind"] = "plan", ["instalments"] = "three" }, "/accounts/999/arrangements");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>Not found</h1>", await page.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("text/html", gone.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, mistypedElsewhere.StatusCode); // a missing account is missing before the form is read
        Assert.Equal(HttpStatusCode.NotFound, route.StatusCode);
        Assert.Equal("application/problem+json", route.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<string> Html(HttpClient client, string url) => await (await client.GetAsync(url, Cancel)).Content.ReadAsStringAsync(Cancel);

    /// <summary>The red alert for a form: the error box with role="alert" that FormRefusal renders.</summary>
    private static Regex RefusalOf(string form) =>
        new($"<div class=\"notice notice-error\" role=\"alert\" id=\"{Regex.Escape(form)}-error\">.*?</div>", RegexOptions.Singleline);
}
