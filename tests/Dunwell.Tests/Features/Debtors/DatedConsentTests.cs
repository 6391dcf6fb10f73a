using System.Net;
using System.Net.Http.Json;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Debtors;

/// <summary>
/// Consent and opt-outs carry the instant the customer gave or withdrew them: consent given on yesterday's call and
/// recorded today counts from yesterday (12 CFR 1006.14(b)(3)(i), 1006.6(b)(4)(i)); the record keeps when it was written.
/// </summary>
public sealed class DatedConsentTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // Monday 2 March 2026, 11:00 in New York (the creditor's zone too).
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 16, 0);

    private static async Task<(long DebtorId, long AccountId, long EmailId)> SeedAsync(TestApp app, HttpClient agent)
    {
        await RecordsSeed.CreditorAsync(app);
        var debtorId = await RecordsSeed.PostDebtorAsync(agent, new
        {
            reference = "D-NY",
            kind = "person",
            name = "Sam Rivera",
            region = "NY",
            postalCode = "10002",
            country = "US",
            contacts = new object[]
            {
                new { kind = "phone", value = "(212) 555-0100" },
                new { kind = "email", value = "sam@employer.example", workplace = true },
            },
        });
        var accountId = await RecordsSeed.PostAccountAsync(agent, RecordsSeed.Account(debtorId));
        var debtor = await (await agent.GetAsync($"/api/v1/debtors/{debtorId}", Cancel)).JsonAsync();
        var emailId = debtor.GetProperty("contacts").EnumerateArray().Single(c => c.GetProperty("kind").GetString() == "email").GetProperty("id").GetInt64();
        return (debtorId, accountId, emailId);
    }

    private static async Task<IReadOnlyList<string>> RefusingAsync(HttpClient client, long accountId, string channel, string at)
    {
        var response = await client.GetAsync($"/api/v1/accounts/{accountId}/contact-eligibility?channel={channel}&at={Uri.EscapeDataString(at)}", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.JsonAsync()).GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("rule").GetString()!)];
    }

    private static Task<HttpResponseMessage> PatchAsync(HttpClient client, long debtorId, object body) =>
        client.PatchAsync($"/api/v1/debtors/{debtorId}", JsonContent.Create(body), Cancel);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Consent_to_further_calls_given_on_yesterdays_call_counts_from_then_until_its_stated_withdrawal(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (debtorId, accountId, _) = await SeedAsync(app, agent);
        (await agent.PostAsJsonAsync($"/api/v1/accounts/{accountId}/interactions",
            new { channel = "call", occurredAt = "2026-03-01T14:00:00-05:00", outcome = "callbackRequested", conversation = true }, Cancel)).EnsureSuccessStatusCode();

        var recorded = await PatchAsync(agent, debtorId, new { flags = new[] { new { kind = "consentToCalls", at = "2026-03-01T14:05:00-05:00" } } });

        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        var flag = (await recorded.JsonAsync()).GetProperty("flags").EnumerateArray().Single();
        Assert.Equal("2026-03-01", flag.GetProperty("since").GetString());
        // This morning, before the consent was recorded, a call was within it.
        Assert.DoesNotContain("us.reg-f.call-after-conversation", await RefusingAsync(agent, accountId, "call", "2026-03-02T09:30:00-05:00"));
        var stored = await app.WithDbAsync(db => db.DebtorFlags.SingleAsync(Cancel));
        Assert.Equal(Instant.FromUtc(2026, 3, 1, 19, 5), stored.At);
        Assert.Equal(Now, stored.RecordedAt);
        Assert.True(await app.WithDbAsync(db => db.AuditEvents.AnyAsync(a => a.Action == "debtor.update" && a.At == Now, Cancel)));

        var withdrawn = await PatchAsync(agent, debtorId, new { flags = new[] { new { id = flag.GetProperty("id").GetInt64(), at = "2026-03-02T10:45:00-05:00" } } });

        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.Equal("2026-03-02", (await withdrawn.JsonAsync()).GetProperty("flags")[0].GetProperty("until").GetString());
        Assert.DoesNotContain("us.reg-f.call-after-conversation", await RefusingAsync(agent, accountId, "call", "2026-03-02T10:40:00-05:00"));
        Assert.Contains("us.reg-f.call-after-conversation", await RefusingAsync(agent, accountId, "call", "2026-03-02T10:50:00-05:00"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Consent_to_email_at_a_work_address_counts_from_when_it_was_given(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (debtorId, accountId, emailId) = await SeedAsync(app, agent);
        Assert.Contains("us.reg-f.employer-email", await RefusingAsync(agent, accountId, "email", "2026-03-02T10:00:00-05:00"));

        var recorded = await PatchAsync(agent, debtorId, new { contacts = new[] { new { id = emailId, consent = "granted", consentAt = "2026-03-01T14:05:00-05:00" } } });

        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        Assert.DoesNotContain("us.reg-f.employer-email", await RefusingAsync(agent, accountId, "email", "2026-03-02T10:00:00-05:00"));
        Assert.Contains("us.reg-f.employer-email", await RefusingAsync(agent, accountId, "email", "2026-03-01T13:00:00-05:00"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_consent_or_opt_out_dated_in_the_future_or_on_another_day_than_its_since_is_refused_naming_the_field(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (debtorId, _, emailId) = await SeedAsync(app, agent);

        var future = await PatchAsync(agent, debtorId, new { flags = new[] { new { kind = "optOutCalls", at = "2026-03-02T16:30:00Z" } } });
        var otherDay = await PatchAsync(agent, debtorId, new { flags = new[] { new { kind = "optOutSms", since = "2026-02-27", at = "2026-03-01T10:00:00Z" } } });
        var notDated = await PatchAsync(agent, debtorId, new { flags = new[] { new { kind = "vulnerable", at = "2026-03-01T10:00:00Z" } } });
        var futureContact = await PatchAsync(agent, debtorId, new { contacts = new[] { new { id = emailId, consent = "optedOut", consentAt = "2026-03-03T10:00:00Z" } } });
        var noConsent = await PatchAsync(agent, debtorId, new { contacts = new[] { new { id = emailId, consentAt = "2026-03-01T10:00:00Z" } } });

        var futureProblem = await future.JsonAsync();
        Assert.Equal(["flags[0].at"], futureProblem.ErrorFields());
        Assert.Contains("future", futureProblem.GetProperty("errors").GetProperty("flags[0].at")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(["flags[0].since"], (await otherDay.JsonAsync()).ErrorFields());
        Assert.Equal(["flags[0].at"], (await notDated.JsonAsync()).ErrorFields());
        Assert.Equal(["contacts[0].consentAt"], (await futureContact.JsonAsync()).ErrorFields());
        Assert.Equal(["contacts[0].consentAt"], (await noConsent.JsonAsync()).ErrorFields());
        Assert.Equal(0, await app.WithDbAsync(db => db.DebtorFlags.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_opt_out_of_calls_dated_this_morning_covers_the_morning(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var (debtorId, accountId, _) = await SeedAsync(app, agent);

        (await PatchAsync(agent, debtorId, new { flags = new[] { new { kind = "optOutCalls", at = "2026-03-02T09:00:00-05:00" } } })).EnsureSuccessStatusCode();

        Assert.DoesNotContain("us.reg-f.medium-opt-out", await RefusingAsync(agent, accountId, "call", "2026-03-02T08:30:00-05:00"));
        Assert.Contains("us.reg-f.medium-opt-out", await RefusingAsync(agent, accountId, "call", "2026-03-02T09:30:00-05:00"));
    }
}
