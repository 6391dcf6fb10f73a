using System.Net;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Pages;

/// <summary>The account page shows the compliance facts, and an agent records a dispute and its verification from it.</summary>
public sealed class ComplianceFactsPageTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // 15:30 UTC is 10:30 in New York.
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 15, 30);

    private static async Task<string> PageAsync(HttpClient client, string url) =>
        WebUtility.HtmlDecode(await (await client.GetAsync(url, Cancel)).Content.ReadAsStringAsync(Cancel));

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_page_shows_the_facts_and_an_agent_records_a_dispute_and_its_verification(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await PageSession.SeedAccountAsync(app);
        await app.WithDbAsync(async db =>
        {
            var account = await db.Accounts.SingleAsync(Cancel);
            account.LimitationDate = new LocalDate(2029, 1, 15);
            account.ValidationNoticeSentAt = Instant.FromUtc(2026, 2, 10, 14, 0);
            account.ValidationPeriodEnd = new LocalDate(2026, 3, 16);
            var debtor = await db.Debtors.Include(d => d.Contacts).SingleAsync(Cancel);
            debtor.LocationTimeZone = "America/Denver";
            debtor.InconvenientTimes.Add(new DebtorInconvenientTime { From = new LocalTime(22, 0), Until = new LocalTime(7, 0), Days = "sat,sun" });
            var phone = debtor.Contacts.Single(c => c.Kind == ContactKind.Phone);
            phone.Workplace = true;
            phone.EmployerProhibits = true;
            var email = debtor.Contacts.Single(c => c.Kind == ContactKind.Email);
            email.ConsentExpiresAt = Instant.FromUtc(2026, 6, 1, 4, 0);
            db.Interactions.Add(new Interaction
            {
                AccountId = account.Id,
                DebtorId = debtor.Id,
                Channel = InteractionChannel.Call,
                Direction = InteractionDirection.Outbound,
                OccurredAt = Instant.FromUtc(2026, 2, 20, 15, 0),
                RecordedAt = Instant.FromUtc(2026, 2, 20, 15, 5),
                Author = "agent",
                Outcome = OutcomeCode.NoAnswer,
            });
            await db.SaveChangesAsync(Cancel);
        });
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);
        var auditor = await PageSession.SignedInAsync(app, Roles.Auditor);
        var url = $"/accounts/{accountId}";

        var page = await PageAsync(agent, url);

        Assert.Contains("15 Jan 2029", page, StringComparison.Ordinal);
        Assert.Contains("Tue 10 Feb 2026, 09:00 EST", page, StringComparison.Ordinal);
        Assert.Contains("period ends 16 Mar 2026", page, StringComparison.Ordinal);
        Assert.Contains("America/Denver", page, StringComparison.Ordinal);
        Assert.Contains("22:00–07:00 (overnight), Sat, Sun", page, StringComparison.Ordinal);
        Assert.Contains("Workplace", page, StringComparison.Ordinal);
        Assert.Contains("Employer prohibits contact", page, StringComparison.Ordinal);
        Assert.Contains("expires", page, StringComparison.Ordinal);
        Assert.Contains("No disputes recorded.", page, StringComparison.Ordinal);
        Assert.Contains("20 Feb 2029", page, StringComparison.Ordinal); // records kept three years after the last contact
        Assert.Contains("Record a dispute", page, StringComparison.Ordinal);

        var fields = new Dictionary<string, string> { ["receivedAt"] = "2026-03-02T09:00", ["written"] = "written", ["amount"] = "", ["note"] = "Says the bill was estimated" };
        var recorded = await PageSession.SubmitAsync(agent, url, "", new(fields), $"/accounts/{accountId}/disputes");
        var twice = await PageSession.SubmitAsync(agent, url, "", new(fields), $"/accounts/{accountId}/disputes");

        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);
        var after = await PageAsync(agent, recorded.Headers.Location!.ToString());
        Assert.Contains("Dispute recorded: the whole debt, received Mon 2 Mar 2026, 09:00 EST. The account is disputed.", after, StringComparison.Ordinal);
        Assert.Contains("Whole debt", after, StringComparison.Ordinal);
        Assert.Contains("Received in writing", after, StringComparison.Ordinal);
        Assert.Contains("Says the bill was estimated", after, StringComparison.Ordinal);
        Assert.Contains("already recorded", await PageAsync(agent, twice.Headers.Location!.ToString()), StringComparison.Ordinal);
        var disputeId = await app.WithDbAsync(db => db.Disputes.Select(d => d.Id).SingleAsync(Cancel));
        Assert.Equal(Instant.FromUtc(2026, 3, 2, 14, 0), await app.WithDbAsync(db => db.Disputes.Select(d => d.ReceivedAt).SingleAsync(Cancel)));

        var auditorPage = await PageAsync(auditor, url);
        var byAuditor = await PageSession.SubmitAsync(auditor, url, "", new() { ["sentAt"] = "2026-03-02T10:00" }, $"/accounts/{accountId}/disputes/{disputeId}/verification");
        Assert.Contains("Whole debt", auditorPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Record a dispute", auditorPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Record verification", auditorPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, byAuditor.StatusCode);

        var verified = await PageSession.SubmitAsync(agent, url, "", new() { ["sentAt"] = "2026-03-02T10:00", ["note"] = "Bill copy sent" },
            $"/accounts/{accountId}/disputes/{disputeId}/verification");

        Assert.Equal(HttpStatusCode.Redirect, verified.StatusCode);
        Assert.Contains("Verification recorded as sent Mon 2 Mar 2026, 10:00 EST. The account is active.", await PageAsync(agent, verified.Headers.Location!.ToString()), StringComparison.Ordinal);
        Assert.Equal(AccountStatus.Active, await app.WithDbAsync(db => db.Accounts.Select(a => a.Status).SingleAsync(Cancel)));
        Assert.Equal(1, await app.WithDbAsync(db => db.Disputes.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_agent_records_what_the_customer_said_from_the_page_and_the_contact_rules_follow_it_at_once(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await PageSession.SeedAccountAsync(app);
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);
        var auditor = await PageSession.SignedInAsync(app, Roles.Auditor);
        var url = $"/accounts/{accountId}";
        var phoneId = await app.WithDbAsync(db => db.DebtorContacts.Where(c => c.Kind == ContactKind.Phone).Select(c => c.Id).SingleAsync(Cancel));
        async Task<string> SubmitAsync(string action, Dictionary<string, string> fields)
        {
            var response = await PageSession.SubmitAsync(agent, url, "", fields, action);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            return await PageAsync(agent, response.Headers.Location!.ToString());
        }

        // "Please don't call me any more": a flag; "that number is my work phone, they don't allow it": the contact's markers.
        var flagged = await SubmitAsync($"/accounts/{accountId}/facts/flags", new() { ["kind"] = "OptOutCalls", ["since"] = "2026-03-02", ["until"] = "", ["note"] = "Said on the call" });
        var contact = await SubmitAsync($"/accounts/{accountId}/facts/contacts/{phoneId}",
            new() { ["consent"] = "Unknown", ["consentExpiresAt"] = "", ["timeZone"] = "America/New_York", ["workplace"] = "on", ["employerProhibits"] = "on" });
        var times = await SubmitAsync($"/accounts/{accountId}/facts/times", new() { ["from"] = "12:00", ["until"] = "13:00", ["days"] = "mon", ["locationTimeZone"] = "America/Chicago" });
        var facts = await SubmitAsync($"/accounts/{accountId}/facts/account",
            new() { ["validationNoticeSentAt"] = "2026-02-10T09:00", ["validationPeriodEnd"] = "2026-03-20", ["limitationDate"] = "2029-01-15" });
        var badFlag = await PageSession.SubmitAsync(agent, url, "", new() { ["kind"] = "OptOutCalls", ["since"] = "2026-03-02", ["until"] = "2026-02-01" },
            $"/accounts/{accountId}/facts/flags");
        var eligibility = await (await (await app.ClientAsAsync(Roles.Agent)).GetAsync($"/api/v1/accounts/{accountId}/contact-eligibility?channel=call", Cancel)).JsonAsync();

        Assert.Contains("Flag recorded: No calls since 2 Mar 2026.", flagged, StringComparison.Ordinal);
        Assert.Contains("Saved: +15185550142, ", contact, StringComparison.Ordinal);
        Assert.Contains("Inconvenient times on file: 12:00–13:00", times, StringComparison.Ordinal);
        Assert.Contains("On file: validation notice sent Tue 10 Feb 2026, 09:00 EST; limitation date 15 Jan 2029.", facts, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badFlag.StatusCode);
        Assert.Contains("Flag not recorded:", await badFlag.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.False(eligibility.GetProperty("allowed").GetBoolean());
        await app.WithDbAsync(async db =>
        {
            var debtor = await db.Debtors.Include(d => d.Flags).Include(d => d.Contacts).Include(d => d.InconvenientTimes).SingleAsync(Cancel);
            var flag = Assert.Single(debtor.Flags);
            Assert.Equal((DebtorFlagKind.OptOutCalls, "Said on the call"), (flag.Kind, flag.Note));
            var phone = debtor.Contacts.Single(c => c.Id == phoneId);
            Assert.Equal((true, true, false), (phone.Workplace, phone.EmployerProhibits, phone.InconvenientPlace));
            Assert.Equal((new LocalTime(12, 0), new LocalTime(13, 0), "mon"), (debtor.InconvenientTimes.Single().From, debtor.InconvenientTimes.Single().Until, debtor.InconvenientTimes.Single().Days));
            Assert.Equal("America/Chicago", debtor.LocationTimeZone);
            var account = await db.Accounts.SingleAsync(Cancel);
            Assert.Equal((new LocalDate(2029, 1, 15), Instant.FromUtc(2026, 2, 10, 14, 0)), (account.LimitationDate, account.ValidationNoticeSentAt));
            Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == Dunwell.Web.AuditLog.Actions.DebtorUpdate, Cancel));
        });

        // The customer changes their mind: the flag is ended today, and calls are allowed again (inside hours).
        var flagId = await app.WithDbAsync(db => db.DebtorFlags.Select(f => f.Id).SingleAsync(Cancel));
        var ended = await SubmitAsync($"/accounts/{accountId}/facts/flags/{flagId}/end", []);
        var auditorPage = await PageAsync(auditor, url);
        var byAuditor = await PageSession.SubmitAsync(auditor, url, "", new() { ["kind"] = "Vulnerable" }, $"/accounts/{accountId}/facts/flags");

        Assert.Contains("No calls ends 2 Mar 2026.", ended, StringComparison.Ordinal);
        Assert.Equal(new LocalDate(2026, 3, 2), await app.WithDbAsync(db => db.DebtorFlags.Select(f => f.Until).SingleAsync(Cancel)));
        Assert.DoesNotContain("What the customer has told us", auditorPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, byAuditor.StatusCode);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task An_agent_marks_a_whole_day_inconvenient_with_one_tick_and_calls_that_day_are_refused(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now); // Monday 10:30 in New York
        var accountId = await PageSession.SeedAccountAsync(app);
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);
        var url = $"/accounts/{accountId}";

        var both = await PageSession.SubmitAsync(agent, url, "", new() { ["from"] = "09:00", ["until"] = "", ["allDay"] = "on", ["days"] = "mon" }, $"{url}/facts/times");
        var saved = await PageSession.SubmitAsync(agent, url, "", new() { ["from"] = "", ["until"] = "", ["allDay"] = "on", ["days"] = "mon" }, $"{url}/facts/times");
        var page = await PageAsync(agent, saved.Headers.Location!.ToString());
        var eligibility = await (await (await app.ClientAsAsync(Roles.Agent)).GetAsync($"/api/v1/accounts/{accountId}/contact-eligibility?channel=call", Cancel)).JsonAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, both.StatusCode);
        Assert.Contains("Tick All day or give From and Until, not both.", await both.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("Inconvenient times on file: All day, Mon", page, StringComparison.Ordinal);
        Assert.False(eligibility.GetProperty("allowed").GetBoolean());
        var reason = eligibility.GetProperty("reasons").EnumerateArray().Single(r => r.GetProperty("rule").GetString() == "us.reg-f.designated-inconvenient-time");
        Assert.Contains("the whole of Monday is inconvenient", reason.GetProperty("message").GetString(), StringComparison.Ordinal);
        var stored = await app.WithDbAsync(db => db.Set<Dunwell.Data.DebtorInconvenientTime>().SingleAsync(Cancel));
        Assert.Equal((LocalTime.Midnight, LocalTime.Midnight, "mon"), (stored.From, stored.Until, stored.Days));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_breathing_space_recorded_from_its_register_date_starts_the_next_day_and_shows_its_last_protected_day(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await PageSession.SeedAccountAsync(app);
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);
        var url = $"/accounts/{accountId}";

        var form = await PageAsync(agent, url);
        // The since box holds today, as the page fills it; the register date decides the start.
        var recorded = await PageSession.SubmitAsync(agent, url, "",
            new() { ["kind"] = "BreathingSpace", ["since"] = "2026-03-02", ["registeredOn"] = "2026-02-27", ["until"] = "", ["note"] = "", ["confirmed"] = "yes" },
            $"{url}/facts/flags");
        var page = await PageAsync(agent, recorded.Headers.Location!.ToString());

        Assert.Contains("the date the breathing space started", form, StringComparison.Ordinal);
        Assert.Contains("starts the day after its entry on the Insolvency Service register", form, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);
        Assert.Contains("Flag recorded: Breathing space since 28 Feb 2026, protected through 28 Apr 2026 (day 60).", page, StringComparison.Ordinal);
        Assert.Equal(new LocalDate(2026, 2, 28), await app.WithDbAsync(db => db.DebtorFlags.Select(f => f.Since).SingleAsync(Cancel)));
    }

    [Fact]
    public async Task A_refusal_names_no_typed_text_shows_only_to_whoever_caused_it_and_out_of_scope_is_404_before_any_check()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = await TestApp.StartAsync(database, Now);
        var accountId = await PageSession.SeedAccountAsync(app);
        await app.WithDbAsync(db =>
        {
            db.Creditors.Add(new Creditor { Reference = "OTHER", Name = "Other Co", JurisdictionPack = "US-FDCPA", TimeZone = "America/New_York" });
            return db.SaveChangesAsync(Cancel);
        });
        var agent = await PageSession.SignedInAsync(app, Roles.Agent);
        var colleague = await PageSession.SignedInAsync(app, Roles.Supervisor);
        var outsider = await PageSession.SignedInAsync(app, Roles.Agent, "OTHER");
        var phoneId = await app.WithDbAsync(db => db.DebtorContacts.Where(c => c.Kind == ContactKind.Phone).Select(c => c.Id).SingleAsync(Cancel));
        var url = $"/accounts/{accountId}";

        var refused = await PageSession.SubmitAsync(agent, url, "", new() { ["validationNoticeSentAt"] = "<b>Pay now</b>" }, $"{url}/facts/account");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var shown = await refused.Content.ReadAsStringAsync(Cancel);
        var alert = System.Text.RegularExpressions.Regex.Match(shown, "<div class=\"notice notice-error\" role=\"alert\" id=\"account-facts-error\">.*?</div>",
            System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        Assert.Contains("sending time is not a date and time", alert, StringComparison.Ordinal);
        Assert.DoesNotContain("Pay now", alert, StringComparison.Ordinal);
        Assert.Contains("value=\"&lt;b&gt;Pay now&lt;/b&gt;\"", shown, StringComparison.Ordinal); // kept in its field, as text

        // Nothing of the refusal travels in an address: the page read afterwards, by anyone, says nothing of it.
        Assert.DoesNotContain("sending time is not", await PageAsync(colleague, url), StringComparison.Ordinal);
        Assert.DoesNotContain("sending time is not", await PageAsync(agent, url), StringComparison.Ordinal);

        // Someone acting for another creditor learns nothing, not even that the time is unreadable.
        foreach (var (post, fields) in new (string, Dictionary<string, string>)[]
        {
            ($"{url}/facts/contacts/{phoneId}", new() { ["consent"] = "Unknown", ["consentExpiresAt"] = "not a time" }),
            ($"{url}/facts/account", new() { ["validationNoticeSentAt"] = "not a time" }),
        })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await PageSession.SubmitAsync(outsider, "/", "", fields, post)).StatusCode);
        }
    }
}
