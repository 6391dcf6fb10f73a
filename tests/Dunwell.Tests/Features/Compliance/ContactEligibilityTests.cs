using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using Dunwell.Features.Compliance;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Compliance;

/// <summary>No contact without the rule pack's leave: the API, recorded attempts and the outbox all ask the same engine.</summary>
public sealed class ContactEligibilityTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // 12:55 UTC is 07:55 in New York, five minutes before Regulation F's convenient hours begin.
    private static readonly Instant EarlyMorning = Instant.FromUtc(2026, 3, 2, 12, 55);

    private static async Task<(long DebtorId, long AccountId)> SeedAsync(TestApp app, HttpClient agent)
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
            contacts = new object[] { new { kind = "phone", value = "(212) 555-0100" }, new { kind = "email", value = "sam@example.com" } },
        });
        var accountId = await RecordsSeed.PostAccountAsync(agent, RecordsSeed.Account(debtorId));
        return (debtorId, accountId);
    }

    private static async Task<JsonElement> EligibilityAsync(HttpClient client, long accountId, string query)
    {
        var response = await client.GetAsync($"/api/v1/accounts/{accountId}/contact-eligibility?{query}", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private static IEnumerable<string> Rules(JsonElement decision) =>
        decision.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("rule").GetString()!);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_call_before_eight_is_refused_with_the_rule_and_the_time_it_becomes_allowed_and_one_made_anyway_is_flagged_for_review(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, EarlyMorning);
        var agent = await app.ClientAsAsync("agent");
        var auditor = await app.ClientAsAsync("auditor");
        var (_, accountId) = await SeedAsync(app, agent);

        var now = await EligibilityAsync(auditor, accountId, "channel=call&to=%2B12125550100");
        var atEight = await EligibilityAsync(agent, accountId, "channel=call&at=2026-03-02T08:00:00-05:00");
        var badChannel = await agent.GetAsync($"/api/v1/accounts/{accountId}/contact-eligibility?channel=fax", Cancel);
        var emailId = await app.WithDbAsync(db => db.Set<DebtorContact>().Where(c => c.Kind == Dunwell.Domain.Accounts.ContactKind.Email).Select(c => c.Id).SingleAsync(Cancel));
        var callAnEmail = await agent.GetAsync($"/api/v1/accounts/{accountId}/contact-eligibility?channel=call&to={emailId}", Cancel);
        var recordedWrongKind = await agent.PostAsJsonAsync($"/api/v1/accounts/{accountId}/interactions", new { channel = "call", direction = "outbound", contactId = emailId }, Cancel);
        var recorded = await agent.PostAsJsonAsync($"/api/v1/accounts/{accountId}/interactions", new { channel = "call", direction = "outbound", outcome = "noAnswer" }, Cancel);
        var body = await recorded.JsonAsync();
        var task = await app.WithDbAsync(db => db.Tasks.SingleAsync(t => t.Kind == WorkTaskKind.ComplianceException, Cancel));

        Assert.False(now.GetProperty("allowed").GetBoolean());
        Assert.Contains("us.reg-f.inconvenient-time", Rules(now));
        var reason = now.GetProperty("reasons").EnumerateArray().First(r => r.GetProperty("rule").GetString() == "us.reg-f.inconvenient-time");
        Assert.StartsWith("12 CFR 1006.6(b)(1)(i)", reason.GetProperty("citation").GetString(), StringComparison.Ordinal);
        Assert.Equal(Instant.FromUtc(2026, 3, 2, 13, 0), Instant.FromDateTimeOffset(now.GetProperty("nextAllowedAt").GetDateTimeOffset()));
        Assert.True(atEight.GetProperty("allowed").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, badChannel.StatusCode);
        Assert.Contains("channel", (await badChannel.JsonAsync()).ErrorFields());
        Assert.Equal(HttpStatusCode.BadRequest, callAnEmail.StatusCode);
        Assert.Contains("to", (await callAnEmail.JsonAsync()).ErrorFields());
        Assert.Equal(HttpStatusCode.BadRequest, recordedWrongKind.StatusCode);
        Assert.Contains("contactId", (await recordedWrongKind.JsonAsync()).ErrorFields());
        Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
        Assert.Contains("1006.6(b)(1)(i)", body.GetProperty("complianceException").GetString(), StringComparison.Ordinal);
        Assert.Equal($"compliance:{body.GetProperty("id").GetInt64()}", task.Cause);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_eighth_call_in_seven_days_waits_until_the_count_allows_it(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 15, 0));
        var agent = await app.ClientAsAsync("agent");
        var (_, accountId) = await SeedAsync(app, agent);
        for (var day = 0; day < 7; day++)
        {
            var at = Instant.FromUtc(2026, 2, 24, 15, 0).Plus(Duration.FromDays(day));
            var call = await agent.PostAsJsonAsync($"/api/v1/accounts/{accountId}/interactions",
                new { channel = "call", direction = "outbound", outcome = "noAnswer", occurredAt = at.ToDateTimeOffset() }, Cancel);
            Assert.Equal(JsonValueKind.Null, (await call.JsonAsync()).GetProperty("complianceException").ValueKind);
        }

        // The seventh call was at 10:00 this morning; a minute later comes the eighth.
        var eighth = await EligibilityAsync(agent, accountId, "channel=call&at=2026-03-02T10:01:00-05:00");
        var email = await EligibilityAsync(agent, accountId, "channel=email&at=2026-03-02T10:01:00-05:00");
        var next = eighth.GetProperty("nextAllowedAt").GetDateTimeOffset();
        var then = await EligibilityAsync(agent, accountId, $"channel=call&at={Uri.EscapeDataString(next.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture))}");

        Assert.False(eighth.GetProperty("allowed").GetBoolean());
        Assert.Contains("us.reg-f.call-frequency", Rules(eighth));
        Assert.True(email.GetProperty("allowed").GetBoolean()); // the call count limits calls, not emails
        Assert.True(next > app.Now.ToDateTimeOffset());
        Assert.True(then.GetProperty("allowed").GetBoolean());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task After_a_cease_request_nothing_is_sent_but_the_permitted_notices_and_a_queued_recap_is_held(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 16, 0));
        var agent = await app.ClientAsAsync("agent");
        var (debtorId, accountId) = await SeedAsync(app, agent);
        var promise = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{accountId}/arrangements")
        {
            Content = JsonContent.Create(new { kind = "promise", firstPaymentOn = "2026-03-10" }),
        };
        promise.Headers.Add("Idempotency-Key", "promise-1");

        var patch = await agent.PatchAsJsonAsync($"/api/v1/debtors/{debtorId}", new { flags = new[] { new { kind = "ceaseCommunication", since = "2026-03-02" } } }, Cancel);
        var call = await EligibilityAsync(agent, accountId, "channel=call");
        var closing = await EligibilityAsync(agent, accountId, "channel=letter&purpose=ceaseTerminationNotice");
        var agreed = await agent.SendAsync(promise, Cancel);
        var messages = await app.WithDbAsync(db => db.Outbox.OrderBy(m => m.Id).ToListAsync(Cancel));

        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.False(call.GetProperty("allowed").GetBoolean());
        Assert.Contains("us.reg-f.cease-communication", Rules(call));
        Assert.Equal(JsonValueKind.Null, call.GetProperty("nextAllowedAt").ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(call.GetProperty("noNextAllowedBecause").GetString()));
        Assert.True(closing.GetProperty("allowed").GetBoolean());
        Assert.Equal(HttpStatusCode.Created, agreed.StatusCode);
        Assert.NotEmpty(messages);
        Assert.All(messages, m => Assert.Equal(OutboxState.Held, m.State));
        Assert.All(messages, m => Assert.Contains("1006.6(c)", m.HeldReason, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_reminder_queued_while_allowed_is_asked_again_when_due_and_held_after_a_cease(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 16, 0));
        var agent = await app.ClientAsAsync("agent");
        var (debtorId, accountId) = await SeedAsync(app, agent);
        var plan = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{accountId}/arrangements")
        {
            Content = JsonContent.Create(new { kind = "plan", firstPaymentOn = "2026-03-16", frequency = "monthly", instalments = 3 }),
        };
        plan.Headers.Add("Idempotency-Key", "plan-1");
        Assert.Equal(HttpStatusCode.Created, (await agent.SendAsync(plan, Cancel)).StatusCode);
        var queued = await app.WithDbAsync(db => db.Outbox.Where(m => m.TemplateKey == "instalment-reminder").Select(m => m.State).ToListAsync(Cancel));

        // Nine days later the first reminder is due; meanwhile the debtor asked to be left alone.
        var patch = await agent.PatchAsJsonAsync($"/api/v1/debtors/{debtorId}", new { flags = new[] { new { kind = "ceaseCommunication", since = "2026-03-05" } } }, Cancel);
        var (summary, mayGo) = await app.WithDbAsync(db => Dunwell.Features.Compliance.OutboxGate.DueAsync(db, Instant.FromUtc(2026, 3, 13, 15, 0), Cancel));
        var reminders = await app.WithDbAsync(db => db.Outbox.Where(m => m.TemplateKey == "instalment-reminder").OrderBy(m => m.SendAfter).ToListAsync(Cancel));

        Assert.Equal([OutboxState.Queued, OutboxState.Queued, OutboxState.Queued], queued);
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Empty(mayGo);
        // Each message keeps what it was screened for: the address the sender must use, when, and under which pack.
        var emailId = await app.WithDbAsync(db => db.DebtorContacts.Where(c => c.DebtorId == debtorId && c.Kind == ContactKind.Email).Select(c => c.Id).SingleAsync(Cancel));
        Assert.Equal((emailId, Instant.FromUtc(2026, 3, 13, 15, 0)), (reminders[0].ContactId, reminders[0].ScreenedAt));
        Assert.StartsWith("US-FDCPA 2026.1", reminders[0].ScreenedUnder, StringComparison.Ordinal);
        Assert.True(summary.Held >= 1);
        Assert.Equal(OutboxState.Held, reminders[0].State);
        Assert.Contains("1006.6(c)", reminders[0].HeldReason, StringComparison.Ordinal);
        Assert.Equal(OutboxState.Queued, reminders[^1].State); // not due yet: it is asked again when it is
    }

    /// <summary>A UK consumer debt: creditor BRIT (UK-FCA, London), a customer in Leeds with an email, owing 400.00 GBP.</summary>
    private static async Task<(long DebtorId, long AccountId)> UkAccountAsync(TestApp app, HttpClient agent, string reference, object[] flags)
    {
        if (!await app.WithDbAsync(db => db.Creditors.AnyAsync(c => c.Reference == "BRIT", Cancel)))
        {
            await app.WithDbAsync(async db =>
            {
                db.Creditors.Add(new Creditor { Reference = "BRIT", Name = "Brit Energy", JurisdictionPack = "UK-FCA", TimeZone = "Europe/London", CreatedAt = app.Now });
                await db.SaveChangesAsync(Cancel);
            });
        }

        var debtorId = await RecordsSeed.PostDebtorAsync(agent, new
        {
            reference = $"D-{reference}",
            kind = "person",
            name = "Alex Moore",
            addressLine1 = "3 Park Row",
            city = "Leeds",
            postalCode = "LS1 5HD",
            country = "GB",
            contacts = new object[] { new { kind = "email", value = $"{reference.ToLowerInvariant()}@example.co.uk" } },
            flags,
        });
        return (debtorId, await RecordsSeed.PostAccountAsync(agent, new
        {
            reference,
            creditorReference = "BRIT",
            debtorId,
            kind = "consumer",
            currency = "GBP",
            principal = "400.00",
            interest = "0",
            fees = "0",
            dueDate = "2026-01-15",
        }));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_recap_of_a_promise_from_a_uk_customer_flagged_vulnerable_is_held_as_automated_contact_while_an_unflagged_customers_goes(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 12, 0)); // 12:00 in London
        var agent = await app.ClientAsAsync("agent");
        var (_, vulnerable) = await UkAccountAsync(app, agent, "UK-1", [new { kind = "vulnerable", since = "2026-03-01", note = "Recently bereaved" }]);
        var (_, unflagged) = await UkAccountAsync(app, agent, "UK-2", []);

        foreach (var accountId in new[] { vulnerable, unflagged })
        {
            var promise = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{accountId}/arrangements")
            {
                Content = JsonContent.Create(new { kind = "promise", firstPaymentOn = "2026-03-10" }),
            };
            promise.Headers.Add("Idempotency-Key", $"promise-{accountId}");
            Assert.Equal(HttpStatusCode.Created, (await agent.SendAsync(promise, Cancel)).StatusCode);
        }

        var recaps = await app.WithDbAsync(db => db.Outbox.Where(m => m.TemplateKey == "arrangement-recap").ToDictionaryAsync(m => m.AccountId, Cancel));
        // The reminder three days before the payment is asked again when it is due, as automated contact too.
        var (_, mayGo) = await app.WithDbAsync(db => Dunwell.Features.Compliance.OutboxGate.DueAsync(db, Instant.FromUtc(2026, 3, 7, 12, 0), Cancel));
        var reminders = await app.WithDbAsync(db => db.Outbox.Where(m => m.TemplateKey == "instalment-reminder").ToDictionaryAsync(m => m.AccountId, Cancel));

        Assert.Equal(OutboxState.Held, recaps[vulnerable].State);
        Assert.Contains("flagged vulnerable", recaps[vulnerable].HeldReason, StringComparison.Ordinal);
        Assert.Contains("CONC 7.3.10R", recaps[vulnerable].HeldReason, StringComparison.Ordinal);
        Assert.Equal((OutboxState.Queued, null), (recaps[unflagged].State, recaps[unflagged].HeldReason));
        Assert.Equal(OutboxState.Held, reminders[vulnerable].State);
        Assert.Contains("flagged vulnerable", reminders[vulnerable].HeldReason, StringComparison.Ordinal);
        Assert.Equal([unflagged], mayGo.Where(m => m.TemplateKey == "instalment-reminder").Select(m => m.AccountId));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Eligibility_can_be_asked_for_automated_contact_which_needs_consent_to_text_a_us_number(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 16, 0)); // 11:00 in New York
        var agent = await app.ClientAsAsync("agent");
        var (_, accountId) = await SeedAsync(app, agent);

        var byHand = await EligibilityAsync(agent, accountId, "channel=sms");
        var saidByHand = await EligibilityAsync(agent, accountId, "channel=sms&automated=false");
        var automated = await EligibilityAsync(agent, accountId, "channel=sms&automated=true");
        var unclear = await agent.GetAsync($"/api/v1/accounts/{accountId}/contact-eligibility?channel=sms&automated=maybe", Cancel);

        Assert.True(byHand.GetProperty("allowed").GetBoolean());
        Assert.True(saidByHand.GetProperty("allowed").GetBoolean());
        Assert.False(automated.GetProperty("allowed").GetBoolean());
        Assert.Equal(["us.tcpa.automated-consent"], Rules(automated));
        Assert.Equal(HttpStatusCode.BadRequest, unclear.StatusCode);
        Assert.Equal(["automated"], (await unclear.JsonAsync()).ErrorFields());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_breathing_space_given_by_its_register_date_starts_the_next_day_and_protects_through_day_60(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 12, 0)); // 12:00 in London
        var agent = await app.ClientAsAsync("agent");
        // The worked example: entered on the register on Friday 27 February 2026 (SI 2020/1311 reg. 26(1); A10).
        var (debtorId, accountId) = await UkAccountAsync(app, agent, "UK-1", [new { kind = "breathingSpace", registeredOn = "2026-02-27" }]);
        var (otherDebtor, _) = await UkAccountAsync(app, agent, "UK-2", []);

        var flag = (await (await agent.GetAsync($"/api/v1/debtors/{debtorId}", Cancel)).JsonAsync()).GetProperty("flags")[0];
        var registerDay = await EligibilityAsync(agent, accountId, "channel=email&at=2026-02-27T12:00:00Z");
        var dayOne = await EligibilityAsync(agent, accountId, "channel=email&at=2026-02-28T12:00:00Z");
        var day60 = await EligibilityAsync(agent, accountId, "channel=email&at=2026-04-28T12:00:00%2B01:00");
        var day61 = await EligibilityAsync(agent, accountId, "channel=email&at=2026-04-29T12:00:00%2B01:00");

        Assert.Equal(("2026-02-28", JsonValueKind.Null, "2026-04-28"),
            (flag.GetProperty("since").GetString(), flag.GetProperty("until").ValueKind, flag.GetProperty("protectedThrough").GetString()));
        Assert.True(registerDay.GetProperty("allowed").GetBoolean());
        Assert.Equal(["uk.breathing-space.contact"], Rules(dayOne));
        Assert.Equal(["uk.breathing-space.contact"], Rules(day60));
        var reason = day60.GetProperty("reasons")[0].GetProperty("message").GetString();
        Assert.Contains("from 2026-02-28 through 2026-04-28", reason, StringComparison.Ordinal);
        Assert.Equal(Instant.FromUtc(2026, 4, 29, 7, 0), Instant.FromDateTimeOffset(day60.GetProperty("nextAllowedAt").GetDateTimeOffset())); // day 61, 08:00 in London
        Assert.True(day61.GetProperty("allowed").GetBoolean());

        // A start that is not the day after the register date, or a register date on another flag, is named and refused.
        var mismatch = await agent.PatchAsJsonAsync($"/api/v1/debtors/{otherDebtor}", new
        {
            flags = new object[]
            {
                new { kind = "breathingSpace", registeredOn = "2026-02-27", since = "2026-02-27" },
                new { kind = "vulnerable", since = "2026-02-27", registeredOn = "2026-02-27" },
                new { kind = "breathingSpace" },
            },
        }, Cancel);
        var problem = await mismatch.JsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        Assert.Equal(["flags[0].since", "flags[1].registeredOn", "flags[2].since"], problem.ErrorFields().Order(StringComparer.Ordinal));
        Assert.Contains("registered on 2026-02-27, it started on 2026-02-28", problem.GetProperty("errors").GetProperty("flags[0].since")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("the date the breathing space started", problem.GetProperty("errors").GetProperty("flags[2].since")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await app.WithDbAsync(db => db.DebtorFlags.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_mental_health_crisis_breathing_space_stops_contact_and_interest_past_day_60_until_its_notified_end_is_recorded(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 4, 1, 11, 0)); // 12:00 in London
        var agent = await app.ClientAsAsync("agent");
        var admin = await app.ClientAsAsync("admin");
        // Both spaces start on 20 January; day 60 is 20 March, so by 1 April a standard one is over.
        var (crisisDebtor, crisis) = await UkAccountAsync(app, agent, "UK-1", [new { kind = "mentalHealthCrisisBreathingSpace", since = "2026-01-20" }]);
        var (_, standard) = await UkAccountAsync(app, agent, "UK-2", [new { kind = "breathingSpace", since = "2026-01-20" }]);
        var policy = JsonNode.Parse((await (await admin.GetAsync("/api/v1/creditors/BRIT/policy", Cancel)).JsonAsync()).GetProperty("policy").GetRawText())!.AsObject();
        policy["fees"] = JsonNode.Parse("""[{"id": "contract-interest", "kind": "dailySimpleInterest", "basisPoints": 1000, "from": "2026-01-01"}]""");
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/v1/creditors/BRIT/policy", policy, Cancel)).StatusCode);

        async Task<List<(string?, string?)>> InterestRunsAsync(long accountId, string asOf) =>
            [.. (await (await agent.GetAsync($"/api/v1/accounts/{accountId}/charges?asOf={asOf}", Cancel)).JsonAsync()).GetProperty("items").EnumerateArray()
                .Select(i => (i.GetProperty("from").GetString(), i.GetProperty("through").GetString()))];

        var inCrisis = await EligibilityAsync(agent, crisis, "channel=email");
        var afterStandard = await EligibilityAsync(agent, standard, "channel=email");
        var crisisRuns = await InterestRunsAsync(crisis, "2026-04-01");
        var standardRuns = await InterestRunsAsync(standard, "2026-04-01");

        Assert.False(inCrisis.GetProperty("allowed").GetBoolean());
        Assert.Equal(["uk.breathing-space.contact"], Rules(inCrisis));
        Assert.Equal(JsonValueKind.Null, inCrisis.GetProperty("nextAllowedAt").ValueKind);
        Assert.True(afterStandard.GetProperty("allowed").GetBoolean());
        Assert.Equal([("2026-01-16", "2026-01-19")], crisisRuns);
        Assert.Equal([("2026-01-16", "2026-01-19"), ("2026-03-21", "2026-04-01")], standardRuns);

        // The Insolvency Service notifies the end: 10 April is the last protected day.
        var flagId = (await (await agent.GetAsync($"/api/v1/debtors/{crisisDebtor}", Cancel)).JsonAsync()).GetProperty("flags")[0].GetProperty("id").GetInt64();
        var ended = await agent.PatchAsJsonAsync($"/api/v1/debtors/{crisisDebtor}", new { flags = new[] { new { id = flagId, until = "2026-04-10" } } }, Cancel);
        var lastDay = await EligibilityAsync(agent, crisis, "channel=email&at=2026-04-10T12:00:00%2B01:00");
        var dayAfter = await EligibilityAsync(agent, crisis, "channel=email&at=2026-04-11T12:00:00%2B01:00");

        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.False(lastDay.GetProperty("allowed").GetBoolean());
        Assert.True(dayAfter.GetProperty("allowed").GetBoolean());
        Assert.Equal([("2026-01-16", "2026-01-19"), ("2026-04-11", "2026-04-15")], await InterestRunsAsync(crisis, "2026-04-15"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_customer_flagged_vulnerable_goes_to_a_specialist_once(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 16, 0));
        var agent = await app.ClientAsAsync("agent");
        var (debtorId, accountId) = await SeedAsync(app, agent);

        var flagged = await agent.PatchAsJsonAsync($"/api/v1/debtors/{debtorId}", new { flags = new[] { new { kind = "vulnerable", since = "2026-03-02", note = "Recently bereaved" } } }, Cancel);
        var again = await agent.PatchAsJsonAsync($"/api/v1/debtors/{debtorId}", new { flags = new[] { new { kind = "vulnerable", since = "2026-03-02", note = "Also unwell" } } }, Cancel);
        var tasks = await app.WithDbAsync(db => db.Tasks.Where(t => t.Kind == WorkTaskKind.SpecialistReview).Select(t => t.AccountId).ToListAsync(Cancel));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (flagged.StatusCode, again.StatusCode));
        Assert.Equal([accountId], tasks);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_us_consumer_debt_of_a_creditor_whose_first_account_was_a_business_one_is_still_under_regulation_f(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, EarlyMorning);
        var agent = await app.ClientAsAsync("agent");
        var (_, accountId) = await SeedAsync(app, agent);
        await app.WithDbAsync(db => db.Creditors.ExecuteUpdateAsync(set => set.SetProperty(c => c.JurisdictionPack, "B2B"), Cancel));

        var decision = await EligibilityAsync(agent, accountId, "channel=call");

        Assert.Equal("US-FDCPA", decision.GetProperty("pack").GetString());
        Assert.Contains("us.reg-f.inconvenient-time", Rules(decision));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_firm_policy_can_add_a_sunday_ban_but_cannot_widen_the_packs_hours(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 8, 16, 0)); // Sunday, 12:00 in New York
        var agent = await app.ClientAsAsync("agent");
        var admin = await app.ClientAsAsync("admin");
        var (_, accountId) = await SeedAsync(app, agent);
        var policy = JsonNode.Parse((await (await admin.GetAsync("/api/v1/creditors/ACME/policy", Cancel)).JsonAsync()).GetProperty("policy").GetRawText())!.AsObject();

        var before = await EligibilityAsync(agent, accountId, "channel=call");
        policy["contactPolicy"] = JsonNode.Parse("""{"hours": {"opens": "07:00:00", "closes": "22:00:00"}}""");
        var wider = await admin.PutAsJsonAsync("/api/v1/creditors/ACME/policy", policy, Cancel);
        policy["contactPolicy"] = JsonNode.Parse("""{"hours": {"opens": "09:00:00", "closes": "20:00:00"}, "noContactDays": ["sunday"]}""");
        var stricter = await admin.PutAsJsonAsync("/api/v1/creditors/ACME/policy", policy, Cancel);
        var after = await EligibilityAsync(agent, accountId, "channel=call");

        Assert.True(before.GetProperty("allowed").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, wider.StatusCode);
        Assert.Contains("contactPolicy.hours", (await wider.JsonAsync()).ErrorFields());
        Assert.Equal(HttpStatusCode.OK, stricter.StatusCode);
        Assert.False(after.GetProperty("allowed").GetBoolean());
        Assert.Contains("firm.no-contact-day", Rules(after));
        Assert.Equal(Instant.FromUtc(2026, 3, 9, 13, 0), Instant.FromDateTimeOffset(after.GetProperty("nextAllowedAt").GetDateTimeOffset()));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_creditor_whose_counsel_reads_nine_pm_as_already_inconvenient_gets_that_reading_under_a_pack_version_of_its_own(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 3, 2, 0)); // 21:00:00 in New York
        var agent = await app.ClientAsAsync("agent");
        var admin = await app.ClientAsAsync("admin");
        var (_, accountId) = await SeedAsync(app, agent);
        var policy = JsonNode.Parse((await (await admin.GetAsync("/api/v1/creditors/ACME/policy", Cancel)).JsonAsync()).GetProperty("policy").GetRawText())!.AsObject();

        var byDefault = await EligibilityAsync(agent, accountId, "channel=call");
        policy["packReading"] = JsonNode.Parse("""{"closingInstantAllowed": false}""");
        var saved = await admin.PutAsJsonAsync("/api/v1/creditors/ACME/policy", policy, Cancel);
        var asRead = await EligibilityAsync(agent, accountId, "channel=call");

        Assert.True(byDefault.GetProperty("allowed").GetBoolean());
        Assert.Equal("2026.1", byDefault.GetProperty("packVersion").GetString());
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.False(asRead.GetProperty("allowed").GetBoolean());
        Assert.Contains("us.reg-f.inconvenient-time", Rules(asRead));
        Assert.StartsWith("2026.1+creditor", asRead.GetProperty("packVersion").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_recorded_notice_the_rules_permit_after_a_cease_is_not_an_exception_and_a_call_to_an_unnamed_number_is_reviewed_if_any_number_was_off_limits(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 16, 0)); // 11:00 in New York
        var agent = await app.ClientAsAsync("agent");
        var (debtorId, accountId) = await SeedAsync(app, agent);
        var (otherDebtor, otherAccount) = (await RecordsSeed.PostDebtorAsync(agent, new
        {
            reference = "D-WORK",
            kind = "person",
            name = "Alex Kim",
            addressLine1 = "12 Grand Street",
            city = "New York",
            region = "NY",
            postalCode = "10013",
            country = "US",
            contacts = new object[] { new { kind = "phone", value = "(212) 555-0111" }, new { kind = "phone", value = "(212) 555-0122", workplace = true, employerProhibits = true } },
        }), 0L);
        otherAccount = await RecordsSeed.PostAccountAsync(agent, RecordsSeed.Account(otherDebtor, "ACC-WORK"));
        await agent.PatchAsJsonAsync($"/api/v1/debtors/{debtorId}", new { flags = new[] { new { kind = "ceaseCommunication", since = "2026-03-02" } } }, Cancel);
        async Task<JsonElement> RecordAsync(long account, object body)
        {
            var response = await agent.PostAsJsonAsync($"/api/v1/accounts/{account}/interactions", body, Cancel);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return await response.JsonAsync();
        }

        var notice = await RecordAsync(accountId, new { channel = "letter", direction = "outbound", purpose = "ceaseTerminationNotice", notes = "Told them collection is ending" });
        var demand = await RecordAsync(accountId, new { channel = "letter", direction = "outbound", notes = "Payment reminder" });
        var unnamedCall = await RecordAsync(otherAccount, new { channel = "call", direction = "outbound", outcome = "noAnswer" });

        Assert.Equal(JsonValueKind.Null, notice.GetProperty("complianceException").ValueKind);
        Assert.Contains("1006.6(c)", demand.GetProperty("complianceException").GetString(), StringComparison.Ordinal);
        Assert.Contains("+12125550122 was not allowed", unnamedCall.GetProperty("complianceException").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, await app.WithDbAsync(db => db.Tasks.CountAsync(t => t.Kind == WorkTaskKind.ComplianceException, Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_validation_notice_never_sent_after_a_first_letter_long_ago_is_reported_overdue_not_as_a_first_communication(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 2, 16, 0));
        var agent = await app.ClientAsAsync("agent");
        var (_, accountId) = await SeedAsync(app, agent);
        // The first letter went out on 5 January, far beyond the month of history the frequency rules read.
        await app.WithDbAsync(async db =>
        {
            var account = await db.Accounts.SingleAsync(a => a.Id == accountId, Cancel);
            db.Interactions.Add(new Dunwell.Data.Interaction
            {
                AccountId = accountId,
                DebtorId = account.DebtorId,
                Channel = InteractionChannel.Letter,
                Direction = InteractionDirection.Outbound,
                OccurredAt = Instant.FromUtc(2026, 1, 5, 15, 0),
                RecordedAt = Instant.FromUtc(2026, 1, 5, 15, 0),
                Author = "test",
                Notes = "First letter",
            });
            await db.SaveChangesAsync(Cancel);
        });

        var decision = await EligibilityAsync(agent, accountId, "channel=letter");
        var batch = await app.WithDbAsync(db => ContactQuestions.DecideBatchAsync(db, [accountId], ContactChannel.Letter, ContactPurpose.Collection, app.Now, Cancel));

        var notice = decision.GetProperty("obligations").EnumerateArray().Single(o => o.GetProperty("rule").GetString() == "us.reg-f.validation-notice");
        Assert.Equal("warning", notice.GetProperty("kind").GetString());
        Assert.Contains("was due by", notice.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains(batch.Single().Decision.Obligations, o => o.RuleId == "us.reg-f.validation-notice" && o.Message.Contains("was due by", StringComparison.Ordinal));
    }
}
