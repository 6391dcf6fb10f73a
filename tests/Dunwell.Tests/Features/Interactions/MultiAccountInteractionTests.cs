using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Features.Audit;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Tests.Features.Interactions;

/// <summary>
/// A conversation about several of a debtor's debts (12 CFR 1006.14(b)(4), comment 14(b)(4)-1): recorded once, it counts
/// for each debt in the call rules, shows on each timeline, and stays chained and verifiable.
/// </summary>
public sealed class MultiAccountInteractionTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // Monday 2 March 2026, 11:00 in New York.
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 16, 0);

    private sealed record Seeded(long A, long B, long C, long OtherDebtors, long OtherCreditors);

    private static async Task<Seeded> SeedAsync(TestApp app, HttpClient agent)
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
            contacts = new object[] { new { kind = "phone", value = "(212) 555-0100" } },
        });
        var a = await RecordsSeed.PostAccountAsync(agent, RecordsSeed.Account(debtorId, "ACC-A"));
        var b = await RecordsSeed.PostAccountAsync(agent, RecordsSeed.Account(debtorId, "ACC-B"));
        var c = await RecordsSeed.PostAccountAsync(agent, RecordsSeed.Account(debtorId, "ACC-C"));
        var (_, otherDebtors) = await RecordsSeed.AccountAsync(app, agent, "ACC-X", "D-X");
        await RecordsSeed.CreditorAsync(app, "OTHER");
        var otherDebtor = await RecordsSeed.PostDebtorAsync(agent, RecordsSeed.WithCreditor(RecordsSeed.Debtor("D-O", phone: "(212) 555-0150", email: "o@example.com"), "OTHER"));
        var otherAccount = RecordsSeed.WithCreditor(RecordsSeed.Account(otherDebtor, "ACC-O"), "OTHER");
        var otherCreditors = await RecordsSeed.PostAccountAsync(agent, otherAccount);
        return new Seeded(a, b, c, otherDebtors, otherCreditors);
    }

    private static async Task<JsonElement> EligibilityAsync(HttpClient client, long accountId, string at)
    {
        var response = await client.GetAsync($"/api/v1/accounts/{accountId}/contact-eligibility?channel=call&at={Uri.EscapeDataString(at)}", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private static IEnumerable<string> Rules(JsonElement decision) =>
        decision.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("rule").GetString()!);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_conversation_about_two_debts_starts_the_quiet_period_for_each_and_shows_on_each_timeline(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var s = await SeedAsync(app, agent);

        var call = await agent.PostAsJsonAsync($"/api/v1/accounts/{s.A}/interactions", new
        {
            channel = "call",
            occurredAt = "2026-03-02T10:00:00-05:00",
            outcome = "rightPartyContact",
            conversation = true,
            notes = "Talked through both bills",
            accounts = new[] { s.A, s.B },
        }, Cancel);

        Assert.Equal(HttpStatusCode.Created, call.StatusCode);
        var recorded = await call.JsonAsync();
        Assert.Equal([s.A, s.B], recorded.GetProperty("accounts").EnumerateArray().Select(e => e.GetInt64()));

        // The next day: both debts discussed are in their seven quiet days; the third was not discussed.
        Assert.Contains("us.reg-f.call-after-conversation", Rules(await EligibilityAsync(agent, s.A, "2026-03-03T11:00:00-05:00")));
        Assert.Contains("us.reg-f.call-after-conversation", Rules(await EligibilityAsync(agent, s.B, "2026-03-03T11:00:00-05:00")));
        Assert.DoesNotContain("us.reg-f.call-after-conversation", Rules(await EligibilityAsync(agent, s.C, "2026-03-03T11:00:00-05:00")));

        var onB = (await (await agent.GetAsync($"/api/v1/accounts/{s.B}/interactions", Cancel)).JsonAsync()).EnumerateArray().ToList();
        var line = Assert.Single(onB);
        Assert.Equal(recorded.GetProperty("id").GetInt64(), line.GetProperty("id").GetInt64());
        Assert.Equal(s.A, line.GetProperty("accountId").GetInt64());
        var glance = await (await agent.GetAsync($"/api/v1/accounts/{s.B}", Cancel)).JsonAsync();
        Assert.Single(glance.GetProperty("interactions").EnumerateArray());
        Assert.Empty((await (await agent.GetAsync($"/api/v1/accounts/{s.C}/interactions", Cancel)).JsonAsync()).EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync($"/api/v1/accounts/{s.B}/interactions/{line.GetProperty("id").GetInt64()}", Cancel)).StatusCode);

        // A correction made from the other account shows wherever the original does.
        var correction = await agent.PostAsJsonAsync($"/api/v1/accounts/{s.B}/interactions",
            new { channel = "call", corrects = line.GetProperty("id").GetInt64(), notes = "It was 10:15, not 10:00" }, Cancel);
        Assert.Equal(HttpStatusCode.Created, correction.StatusCode);
        Assert.Equal(2, (await (await agent.GetAsync($"/api/v1/accounts/{s.A}/interactions", Cancel)).JsonAsync()).GetArrayLength());

        var verify = await app.WithDbAsync(db => AuditVerify.RunAsync(db, Cancel));
        Assert.True(verify.Intact, verify.FirstBreak?.ToString());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Accounts_of_another_debtor_or_out_of_scope_are_refused_alike_and_nothing_is_recorded(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var s = await SeedAsync(app, await app.ClientAsAsync(Roles.Agent));
        var agent = await app.ClientAsAsync(Roles.Agent, "ACME");
        var url = $"/api/v1/accounts/{s.A}/interactions";

        var otherDebtors = await agent.PostAsJsonAsync(url, new { channel = "note", notes = "x", accounts = new[] { s.A, s.OtherDebtors } }, Cancel);
        var outOfScope = await agent.PostAsJsonAsync(url, new { channel = "note", notes = "x", accounts = new[] { s.A, s.OtherCreditors } }, Cancel);
        var unknown = await agent.PostAsJsonAsync(url, new { channel = "note", notes = "x", accounts = new[] { s.A, 987654L } }, Cancel);
        var withoutPath = await agent.PostAsJsonAsync(url, new { channel = "note", notes = "x", accounts = new[] { s.B } }, Cancel);
        var none = await agent.PostAsJsonAsync(url, new { channel = "note", notes = "x", accounts = Array.Empty<long>() }, Cancel);
        var foreignPath = await agent.PostAsJsonAsync($"/api/v1/accounts/{s.OtherCreditors}/interactions",
            new { channel = "note", notes = "x", accounts = new[] { s.OtherCreditors } }, Cancel);

        foreach (var refused in new[] { otherDebtors, outOfScope, unknown })
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await refused.JsonAsync();
            Assert.Equal(["accounts[1]"], problem.ErrorFields());
            Assert.Matches("^Account \\d+ is not one of this debtor's accounts\\.$", problem.GetProperty("errors").GetProperty("accounts[1]")[0].GetString());
        }

        Assert.Equal(HttpStatusCode.BadRequest, withoutPath.StatusCode);
        Assert.Contains($"Include account {s.A}", (await withoutPath.JsonAsync()).GetProperty("errors").GetProperty("accounts")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreignPath.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Interactions.CountAsync(Cancel)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Audit_verify_catches_accounts_added_to_or_taken_from_a_recorded_interaction(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var s = await SeedAsync(app, agent);
        var url = $"/api/v1/accounts/{s.A}/interactions";
        (await agent.PostAsJsonAsync(url, new { channel = "note", notes = "both", accounts = new[] { s.A, s.B } }, Cancel)).EnsureSuccessStatusCode();
        (await agent.PostAsJsonAsync(url, new { channel = "note", notes = "one" }, Cancel)).EnsureSuccessStatusCode();

        foreach (var (notes, alsoAbout, what) in new (string, string?, string)[]
        {
            ("both", null, "accounts taken from an interaction"),
            ("one", $"{s.B}", "an account added to an interaction"),
            ("both", $"{s.C}", "an interaction moved to another account"),
        })
        {
            var report = await app.WithDbAsync(async db =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(Cancel);
                await DropTriggersAsync(db, provider);
                await db.Database.ExecuteSqlRawAsync("UPDATE interactions SET also_about = {0} WHERE notes = {1}", [alsoAbout!, notes], Cancel);
                var found = await AuditVerify.RunAsync(db, Cancel);
                await transaction.RollbackAsync(Cancel);
                return found;
            });

            Assert.False(report.Intact, what);
            Assert.Equal(BreakKinds.Content, report.FirstBreak!.Kind);
        }
    }

    private static async Task DropTriggersAsync(DunwellDb db, string provider)
    {
        if (provider == "sqlite")
        {
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER IF EXISTS interactions_no_update", Cancel);
        }
        else
        {
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER IF EXISTS interactions_no_rewrite ON interactions", Cancel);
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_number_not_in_service_and_voicemail_without_a_message_are_call_outcomes_that_reached_nobody(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var s = await SeedAsync(app, agent);
        var url = $"/api/v1/accounts/{s.A}/interactions";

        var notInService = await agent.PostAsJsonAsync(url, new { channel = "call", outcome = "notInService", occurredAt = "2026-03-02T10:00:00-05:00" }, Cancel);
        var voicemail = await agent.PostAsJsonAsync(url, new { channel = "call", outcome = "voicemailNoMessage", occurredAt = "2026-03-02T10:05:00-05:00" }, Cancel);
        var talked = await agent.PostAsJsonAsync(url, new { channel = "call", outcome = "voicemailNoMessage", conversation = true }, Cancel);
        var emailed = await agent.PostAsJsonAsync(url, new { channel = "email", outcome = "notInService" }, Cancel);

        Assert.Equal(HttpStatusCode.Created, notInService.StatusCode);
        Assert.Equal("notInService", (await notInService.JsonAsync()).GetProperty("outcome").GetString());
        Assert.Equal(HttpStatusCode.Created, voicemail.StatusCode);
        Assert.Equal(["conversation"], (await talked.JsonAsync()).ErrorFields());
        Assert.Equal(["outcome"], (await emailed.JsonAsync()).ErrorFields());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_first_letter_long_ago_about_two_debts_makes_the_validation_notice_overdue_on_each(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync(Roles.Agent);
        var s = await SeedAsync(app, agent);
        // Recorded on A, about A and B, far beyond the month of history the frequency rules read.
        (await agent.PostAsJsonAsync($"/api/v1/accounts/{s.A}/interactions", new
        {
            channel = "letter",
            direction = "outbound",
            occurredAt = "2026-01-05T10:00:00-05:00",
            notes = "First letter, both bills",
            accounts = new[] { s.A, s.B },
        }, Cancel)).EnsureSuccessStatusCode();

        foreach (var account in new[] { s.A, s.B })
        {
            var response = await agent.GetAsync($"/api/v1/accounts/{account}/contact-eligibility?channel=letter", Cancel);
            var batch = await app.WithDbAsync(db => Dunwell.Features.Compliance.ContactQuestions.DecideBatchAsync(
                db, [account], Dunwell.Domain.Compliance.ContactChannel.Letter, Dunwell.Domain.Compliance.ContactPurpose.Collection, app.Now, Cancel));

            var notice = (await response.JsonAsync()).GetProperty("obligations").EnumerateArray().Single(o => o.GetProperty("rule").GetString() == "us.reg-f.validation-notice");
            Assert.Contains("was due by", notice.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Contains(batch.Single().Decision.Obligations, o => o.RuleId == "us.reg-f.validation-notice" && o.Message.Contains("was due by", StringComparison.Ordinal));
        }
    }
}
