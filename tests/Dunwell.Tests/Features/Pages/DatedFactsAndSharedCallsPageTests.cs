using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Pages;

/// <summary>
/// From the account page, an agent dates a consent or an opt-out to when the customer gave or withdrew it, and records
/// one conversation about several of the customer's accounts, which then shows on each account's timeline.
/// </summary>
public sealed class DatedFactsAndSharedCallsPageTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // Monday 2 March 2026, 10:30 in New York (the creditor's zone, and the debtor's).
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 15, 30);

    private static async Task<string> PageAsync(HttpClient client, string url) =>
        WebUtility.HtmlDecode(await (await client.GetAsync(url, Cancel)).Content.ReadAsStringAsync(Cancel));

    private static async Task<IReadOnlyList<string>> RefusingAsync(HttpClient api, long accountId, string at)
    {
        var response = await api.GetAsync($"/api/v1/accounts/{accountId}/contact-eligibility?channel=call&at={Uri.EscapeDataString(at)}", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.JsonAsync()).GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("rule").GetString()!)];
    }

    private static string Alert(string html, string id) =>
        Regex.Match(html, $"<div class=\"notice notice-error\" role=\"alert\" id=\"{id}\">.*?</div>", RegexOptions.Singleline).Value;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Consent_given_on_yesterdays_call_is_recorded_from_the_page_as_given_then_and_the_rules_count_from_it(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await PageSession.SeedAccountAsync(app);
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);
        var api = await app.ClientAsAsync(Roles.Agent);
        var url = $"/accounts/{accountId}";
        var emailId = await app.WithDbAsync(db => db.DebtorContacts.Where(c => c.Kind == ContactKind.Email).Select(c => c.Id).SingleAsync(Cancel));
        // Yesterday's call: a conversation, after which the customer said further calls are fine.
        (await api.PostAsJsonAsync($"/api/v1/accounts/{accountId}/interactions",
            new { channel = "call", occurredAt = "2026-03-01T14:00:00-05:00", outcome = "callbackRequested", conversation = true }, Cancel)).EnsureSuccessStatusCode();
        Assert.Contains("us.reg-f.call-after-conversation", await RefusingAsync(api, accountId, "2026-03-02T09:30:00-05:00"));

        var future = await PageSession.SubmitAsync(agent, url, "", new() { ["kind"] = "ConsentToCalls", ["at"] = "2026-03-03T09:00", ["since"] = "2026-03-02" },
            $"{url}/facts/flags");
        var given = await PageSession.SubmitAsync(agent, url, "", new() { ["kind"] = "ConsentToCalls", ["at"] = "2026-03-01T14:05", ["since"] = "2026-03-02", ["note"] = "On the call" },
            $"{url}/facts/flags");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, future.StatusCode);
        var refused = await future.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("is in the future", Alert(refused, "flag-error"), StringComparison.Ordinal);
        Assert.Contains("value=\"2026-03-03T09:00\"", refused, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, given.StatusCode);
        Assert.Contains("Given Sun 1 Mar 2026, 14:05 EST · recorded Mon 2 Mar 2026, 10:30 EST", await PageAsync(agent, given.Headers.Location!.ToString()), StringComparison.Ordinal);
        var flag = await app.WithDbAsync(db => db.DebtorFlags.SingleAsync(Cancel));
        Assert.Equal((new LocalDate(2026, 3, 1), Instant.FromUtc(2026, 3, 1, 19, 5), Now), (flag.Since, flag.At, flag.RecordedAt));
        // This morning, before it was recorded, a call was already within the consent.
        Assert.DoesNotContain("us.reg-f.call-after-conversation", await RefusingAsync(api, accountId, "2026-03-02T09:30:00-05:00"));

        // Withdrawn at 10:00 on this morning's call: from then on, the conversation's quiet period applies again.
        var badEnd = await PageSession.SubmitAsync(agent, url, "", new() { ["flag"] = $"{flag.Id}", ["at"] = "2026-03-02T25:00" }, $"{url}/facts/flags/{flag.Id}/end");
        var ended = await PageSession.SubmitAsync(agent, url, "", new() { ["flag"] = $"{flag.Id}", ["at"] = "2026-03-02T10:00" }, $"{url}/facts/flags/{flag.Id}/end");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, badEnd.StatusCode);
        var badEndPage = await badEnd.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("is not a date and time", Alert(badEndPage, "flag-end-error"), StringComparison.Ordinal);
        Assert.Contains("value=\"2026-03-02T25:00\"", badEndPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        var endedPage = await PageAsync(agent, ended.Headers.Location!.ToString());
        Assert.Contains("Given Sun 1 Mar 2026, 14:05 EST, withdrawn Mon 2 Mar 2026, 10:00 EST", endedPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Withdrawn at", endedPage, StringComparison.Ordinal); // ended: nothing left to end
        var apiFlag = (await (await api.GetAsync($"/api/v1/accounts/{accountId}", Cancel)).JsonAsync()).GetProperty("debtor").GetProperty("flags")[0];
        Assert.Equal(("2026-03-01T19:05:00+00:00", "2026-03-02T15:00:00+00:00", false),
            (apiFlag.GetProperty("at").GetString(), apiFlag.GetProperty("endedAt").GetString(), apiFlag.GetProperty("inForce").GetBoolean()));
        var withdrawn = await app.WithDbAsync(db => db.DebtorFlags.SingleAsync(Cancel));
        Assert.Equal((new LocalDate(2026, 3, 2), Instant.FromUtc(2026, 3, 2, 15, 0)), (withdrawn.Until, withdrawn.EndedAt));
        Assert.DoesNotContain("us.reg-f.call-after-conversation", await RefusingAsync(api, accountId, "2026-03-02T09:55:00-05:00"));
        Assert.Contains("us.reg-f.call-after-conversation", await RefusingAsync(api, accountId, "2026-03-02T10:15:00-05:00"));

        // A contact's consent: dated when the customer gave (or refused) it; a time to come is refused and kept as typed.
        var futureOptOut = await PageSession.SubmitAsync(agent, url, "", new()
        {
            ["consent"] = "OptedOut",
            ["consentAt"] = "2026-03-02T11:00",
            ["consentExpiresAt"] = "",
            ["timeZone"] = "America/New_York",
            ["workplace"] = "on",
        }, $"{url}/facts/contacts/{emailId}");
        var optOut = await PageSession.SubmitAsync(agent, url, "", new() { ["consent"] = "OptedOut", ["consentAt"] = "2026-03-01T08:00", ["consentExpiresAt"] = "" },
            $"{url}/facts/contacts/{emailId}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, futureOptOut.StatusCode);
        var kept = WebUtility.HtmlDecode(await futureOptOut.Content.ReadAsStringAsync(Cancel));
        Assert.Contains("is in the future", Alert(kept, $"contact-{emailId}-error"), StringComparison.Ordinal);
        Assert.Contains("value=\"2026-03-02T11:00\"", kept, StringComparison.Ordinal);
        Assert.Matches("<option value=\"OptedOut\" selected", kept);
        Assert.Matches("name=\"workplace\" value=\"on\" checked", kept);
        Assert.Equal(HttpStatusCode.Redirect, optOut.StatusCode);
        var email = await app.WithDbAsync(db => db.DebtorContacts.SingleAsync(c => c.Id == emailId, Cancel));
        Assert.Equal((ConsentState.OptedOut, Instant.FromUtc(2026, 3, 1, 13, 0)), (email.Consent, email.ConsentChangedAt));
        Assert.True(await app.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == Dunwell.Web.AuditLog.Actions.DebtorUpdate && e.At == Now, Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_conversation_about_two_of_the_customers_accounts_is_recorded_once_and_shows_on_both_timelines(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var first = await PageSession.SeedAccountAsync(app);
        var other = await PageSession.SeedAccountAsync(app, "NWU-200002", "Lee Other");
        var second = await app.WithDbAsync(async db =>
        {
            var a = await db.Accounts.SingleAsync(x => x.Id == first, Cancel);
            var account = new Account
            {
                Reference = "NWU-100002",
                CreditorId = a.CreditorId,
                DebtorId = a.DebtorId,
                Kind = AccountKind.Consumer,
                Currency = "USD",
                DueDate = new LocalDate(2026, 1, 20),
                Status = AccountStatus.Active,
            };
            db.Accounts.Add(account);
            await db.SaveChangesAsync(Cancel);
            return account.Id;
        });
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);
        Dictionary<string, string> Call(string alsoAbout) => new()
        {
            ["Interaction.Channel"] = "Call",
            ["Interaction.Direction"] = "Outbound",
            ["Interaction.Outcome"] = "Promise",
            ["Interaction.Conversation"] = "true",
            ["Interaction.OccurredAt"] = "2026-03-02T10:05",
            ["Interaction.Notes"] = "Talked through both bills.",
            ["alsoAbout"] = alsoAbout,
        };

        var form = await PageAsync(agent, $"/accounts/{first}");
        var refused = await PageSession.SubmitAsync(agent, $"/accounts/{first}", "interaction", Call($"{other}"), $"/accounts/{first}/record");
        var recorded = await PageSession.SubmitAsync(agent, $"/accounts/{first}", "interaction", Call($"{second}"), $"/accounts/{first}/record");

        Assert.Contains($"name=\"alsoAbout\" value=\"{second}\"", form, StringComparison.Ordinal);
        Assert.DoesNotContain($"name=\"alsoAbout\" value=\"{other}\"", form, StringComparison.Ordinal); // another debtor's account is not offered
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var refusedPage = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(Cancel));
        Assert.Contains($"Account {other} is not one of this debtor's accounts.", Alert(refusedPage, "interaction-error"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);
        var saved = await app.WithDbAsync(db => db.Interactions.SingleAsync(Cancel));
        Assert.Equal((first, $"{second}"), (saved.AccountId, saved.AlsoAbout));

        var onFirst = await PageAsync(agent, $"/accounts/{first}");
        var onSecond = await PageAsync(agent, $"/accounts/{second}");

        Assert.Contains("Talked through both bills.", onFirst, StringComparison.Ordinal);
        Assert.Matches(@"Also about account\s*<a href=""/accounts/" + second + @""">NWU-100002</a>\.", onFirst);
        Assert.Contains("Talked through both bills.", onSecond, StringComparison.Ordinal);
        Assert.Matches(@"Recorded on account <a href=""/accounts/" + first + @""">NWU-100001</a>; also about this account\.", onSecond);
    }
}
