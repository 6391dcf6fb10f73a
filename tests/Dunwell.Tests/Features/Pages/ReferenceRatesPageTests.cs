using System.Net;
using System.Net.Http.Json;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Pages;

/// <summary>The reference rates page: what an admin sees and does there, and that nobody else can.</summary>
public sealed class ReferenceRatesPageTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 15, 0);

    private static Task<HttpResponseMessage> RecordAsync(HttpClient client, string series, string effectiveFrom, string rate, string reason = "") =>
        PageSession.SubmitAsync(client, "/admin/rates", "rate",
            new() { ["Input.Series"] = series, ["Input.EffectiveFrom"] = effectiveFrom, ["Input.Rate"] = rate, ["Input.Reason"] = reason });

    private static async Task<string> HtmlAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Cancel));

    /// <summary>The messages a page shows next to one field (the FieldError with that id).</summary>
    private static string FieldErrorOf(string html, string id)
    {
        var match = System.Text.RegularExpressions.Regex.Match(html, $"<p class=\"field-error\" id=\"{id}\">(.*?)</p>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(match.Success, $"No error shown at {id}.");
        return match.Groups[1].Value;
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_admin_lists_both_rate_series_records_a_rate_sees_each_error_at_its_field_and_corrects_a_rate_with_a_reason(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var admin = await PageSession.SignedInAsync(app, Roles.Admin);

        var empty = await HtmlAsync(await admin.GetAsync("/admin/rates", Cancel));
        var recorded = await RecordAsync(admin, "ECB-MRO", "2025-06-11", "2.15");
        var recordedHtml = await HtmlAsync(recorded);
        var invalid = await RecordAsync(admin, "FED-FUNDS", "11/06/2025", "2.155");
        var invalidHtml = await HtmlAsync(invalid);
        var duplicate = await HtmlAsync(await RecordAsync(admin, "ECB-MRO", "2025-06-11", "2.00"));
        var correction = await RecordAsync(admin, "ECB-MRO", "2025-06-11", "2.00", "The deposit facility rate was keyed instead of the MRO");
        var corrected = await HtmlAsync(correction);

        Assert.Contains("href=\"/admin/rates\"", empty, StringComparison.Ordinal);
        Assert.Contains("Bank of England Bank Rate", empty, StringComparison.Ordinal);
        Assert.Contains("ECB main refinancing rate", empty, StringComparison.Ordinal);
        Assert.Equal(2, empty.Split("No rate recorded yet").Length - 1);

        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        Assert.Contains("Recorded 2.15% for ECB main refinancing rate from 11 Jun 2025.", recordedHtml, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">2.15%</td>", recordedHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"rates-ECB-MRO\"", recordedHtml, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("Use one of: GB-BANK-RATE, ECB-MRO.", FieldErrorOf(invalidHtml, "rate-series-error"), StringComparison.Ordinal);
        Assert.Contains("Not a date; use yyyy-MM-dd.", FieldErrorOf(invalidHtml, "rate-from-error"), StringComparison.Ordinal);
        Assert.Contains("Rate has more than 2 decimal places.", FieldErrorOf(invalidHtml, "rate-rate-error"), StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"rate-rate-error\"", invalidHtml, StringComparison.Ordinal);

        Assert.Contains("ECB-MRO already has a rate from 2025-06-11 (2.15%", FieldErrorOf(duplicate, "rate-from-error"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, correction.StatusCode);
        Assert.Contains("Corrected ECB main refinancing rate from 11 Jun 2025 to 2.00%", corrected, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">2.00%</td>", corrected, StringComparison.Ordinal);
        Assert.Contains("2.15% from 2025-06-11, recorded by user:admin@pages.test", corrected, StringComparison.Ordinal);
        Assert.Contains("Reason: The deposit facility rate was keyed instead of the MRO", corrected, StringComparison.Ordinal);

        var rates = await app.WithDbAsync(db => db.ReferenceRates.Select(r => new { r.Series, r.BasisPoints }).ToListAsync(Cancel));
        Assert.Equal([("ECB-MRO", 200)], rates.Select(r => (r.Series, r.BasisPoints)));
        var actions = await app.WithDbAsync(db => db.AuditEvents.Where(a => a.Subject == "rate:ECB-MRO:2025-06-11").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync(Cancel));
        Assert.Equal(["reference-rate.create", "reference-rate.correct"], actions);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_agent_is_refused_the_rates_page_its_form_post_and_the_rates_api(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);
        var agentKey = await app.ClientAsAsync(Roles.Agent);

        var page = await agent.GetAsync("/admin/rates", Cancel);
        var denied = await agent.GetAsync(page.Headers.Location!, Cancel);
        var home = await HtmlAsync(await agent.GetAsync("/accounts", Cancel));
        // A valid antiforgery token (from a page the agent may see), so only the role stands in the way.
        var posted = await PageSession.SubmitAsync(agent, "/accounts", "rate",
            new() { ["Input.Series"] = "GB-BANK-RATE", ["Input.EffectiveFrom"] = "2025-12-18", ["Input.Rate"] = "3.75", ["Input.Reason"] = "" }, "/admin/rates");
        var api = await agentKey.PostAsJsonAsync("/api/v1/reference-rates", new { series = "GB-BANK-RATE", effectiveFrom = "2025-12-18", rate = "3.75" }, Cancel);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/denied", new Uri(new Uri("http://localhost"), page.Headers.Location!).AbsolutePath);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.DoesNotContain("/admin/rates", home, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, posted.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.False(await app.WithDbAsync(db => db.ReferenceRates.AnyAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_admin_confirms_a_negative_rate_withdraws_a_rate_from_the_wrong_date_and_sees_the_demo_rates_labelled(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var admin = await PageSession.SignedInAsync(app, Roles.Admin);
        await app.WithDbAsync(async db =>
        {
            Dunwell.Features.Demo.DemoRates.Add(db, Now);
            await db.SaveChangesAsync(Cancel);
        });

        var demo = await HtmlAsync(await admin.GetAsync("/admin/rates", Cancel));
        var unconfirmed = await RecordAsync(admin, "ECB-MRO", "2026-01-07", "-0.10");
        var unconfirmedHtml = await HtmlAsync(unconfirmed);
        var confirmed = await HtmlAsync(await PageSession.SubmitAsync(admin, "/admin/rates", "rate", new()
        {
            ["Input.Series"] = "ECB-MRO",
            ["Input.EffectiveFrom"] = "2026-01-07",
            ["Input.Rate"] = "-0.10",
            ["Input.Reason"] = "",
            ["Input.Confirm"] = "true",
        }));
        var withdrawn = await HtmlAsync(await PageSession.SubmitAsync(admin, "/admin/rates", "withdraw", new()
        {
            ["Withdraw.Series"] = "ECB-MRO",
            ["Withdraw.EffectiveFrom"] = "2026-01-07",
            ["Withdraw.Reason"] = "No such decision; keyed against the wrong date",
        }));

        Assert.DoesNotContain("No rate recorded yet", demo, StringComparison.Ordinal);
        Assert.Contains("id=\"demo-rates\"", demo, StringComparison.Ordinal);
        Assert.Equal(DemoRatesCount(), demo.Split("Demo data, not checked against the publisher").Length - 1);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, unconfirmed.StatusCode);
        Assert.Contains("A negative rate (-0.10%) is rare", FieldErrorOf(unconfirmedHtml, "rate-rate-error"), StringComparison.Ordinal);
        Assert.Contains("tick the box", FieldErrorOf(unconfirmedHtml, "rate-rate-error"), StringComparison.Ordinal);
        Assert.Contains("id=\"rate-confirm\"", unconfirmedHtml, StringComparison.Ordinal);
        Assert.Contains("Recorded -0.10% for ECB main refinancing rate from 7 Jan 2026.", confirmed, StringComparison.Ordinal);

        Assert.Contains("Withdrew -0.10% for ECB main refinancing rate from 7 Jan 2026", withdrawn, StringComparison.Ordinal);
        Assert.Contains("No such decision; keyed against the wrong date. Not counted in statutory interest.", withdrawn, StringComparison.Ordinal);
        Assert.Contains("<s>-0.10%</s>", withdrawn, StringComparison.Ordinal);
        Assert.Equal(1, await app.WithDbAsync(db => db.ReferenceRateWithdrawals.CountAsync(Cancel)));
    }

    private static int DemoRatesCount() => Dunwell.Features.Demo.DemoRates.BankRate.Count + Dunwell.Features.Demo.DemoRates.EcbRate.Count;
}
