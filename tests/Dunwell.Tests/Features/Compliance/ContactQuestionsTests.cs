using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dunwell.Data;
using Dunwell.Domain.Compliance;
using Dunwell.Features.Compliance;
using Dunwell.Tests.Features.Records;
using Dunwell.Tests.Support;
using NodaTime;

namespace Dunwell.Tests.Features.Compliance;

/// <summary>Asking about many accounts at once gives each the answer it gets when asked about alone.</summary>
public sealed class ContactQuestionsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // Monday 2 March 2026, 10:00 in New York.
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 15, 0);

    private static object Debtor(string reference, string phone, object[]? flags = null, string phoneConsent = "unknown", object? preferences = null) => new
    {
        reference,
        kind = "person",
        name = $"Debtor {reference}",
        addressLine1 = "40 Orchard Street",
        city = "New York",
        region = "NY",
        postalCode = "10002",
        country = "US",
        preferences,
        contacts = new object[]
        {
            new { kind = "phone", value = phone, consent = phoneConsent },
            new { kind = "phone", value = "(415) 555-0188", label = "work" },
            new { kind = "email", value = $"{reference.ToLowerInvariant()}@example.com" },
        },
        flags = flags ?? [],
    };

    private static async Task<(long DebtorId, long[] AccountIds)> AccountsAsync(HttpClient agent, object debtor, params string[] references)
    {
        var debtorId = await RecordsSeed.PostDebtorAsync(agent, debtor);
        var accountIds = new List<long>();
        foreach (var reference in references)
        {
            accountIds.Add(await RecordsSeed.PostAccountAsync(agent, RecordsSeed.Account(debtorId, reference)));
        }

        return (debtorId, [.. accountIds]);
    }

    private static async Task InteractionAsync(HttpClient agent, long accountId, string channel, string direction, string outcome, Instant at, bool conversation = false)
    {
        var response = await agent.PostAsJsonAsync($"/api/v1/accounts/{accountId}/interactions",
            new { channel, direction, outcome, conversation, occurredAt = at.ToDateTimeOffset() }, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>Everything a decision says, in one comparable string.</summary>
    private static string Describe(ContactDecision d) => JsonSerializer.Serialize(new
    {
        d.Allowed,
        d.Reasons,
        NextAllowedAt = d.NextAllowedAt?.ToString(),
        d.NoNextAllowedBecause,
        d.Obligations,
        d.PackId,
        d.PackVersion,
        d.Zones,
    });

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Batched_decisions_equal_the_one_account_decisions(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Now);
        var agent = await app.ClientAsAsync("agent");
        await RecordsSeed.CreditorAsync(app);

        var plain = (await AccountsAsync(agent, Debtor("D-PLAIN", "(212) 555-0101", preferences: new { contactFrom = "09:00", contactUntil = "17:30" }), "A-PLAIN")).AccountIds[0];
        var cease = (await AccountsAsync(agent, Debtor("D-CEASE", "(212) 555-0102", [new { kind = "ceaseCommunication", since = "2026-02-20" }]), "A-CEASE")).AccountIds[0];
        var optedOut = (await AccountsAsync(agent, Debtor("D-OPT", "(212) 555-0103",
            [new { kind = "optOutCalls", since = "2026-02-25" }, new { kind = "representedByAttorney", since = "2026-01-05", until = "2026-02-01" }], phoneConsent: "optedOut"), "A-OPT")).AccountIds[0];
        var calls = (await AccountsAsync(agent, Debtor("D-CALLS", "(212) 555-0104"), "A-CALLS", "A-CALLS-2")).AccountIds;
        var (busy, other) = (calls[0], calls[1]);
        var (timesDebtor, times) = await AccountsAsync(agent, Debtor("D-TIMES", "(212) 555-0105"), "A-TIMES");
        var inconvenient = times[0];
        var disputed = (await AccountsAsync(agent, Debtor("D-DISPUTE", "(212) 555-0106"), "A-DISPUTE")).AccountIds[0];

        // Seven calls in the seven days up to this morning on one account, a conversation on the debtor's other account two weeks ago,
        // an email and a letter, and a note (not a contact).
        for (var day = 0; day < 7; day++)
        {
            await InteractionAsync(agent, busy, "call", "outbound", day % 2 == 0 ? "noAnswer" : "leftMessage", Instant.FromUtc(2026, 2, 24, 14, 0).Plus(Duration.FromDays(day)));
        }

        await InteractionAsync(agent, other, "call", "inbound", "rightPartyContact", Instant.FromUtc(2026, 2, 16, 18, 0), conversation: true);
        await InteractionAsync(agent, busy, "email", "outbound", "none", Instant.FromUtc(2026, 2, 27, 14, 0));
        await InteractionAsync(agent, other, "letter", "outbound", "none", Instant.FromUtc(2026, 2, 10, 14, 0));
        await InteractionAsync(agent, busy, "note", "internal", "none", Instant.FromUtc(2026, 3, 1, 14, 0));
        // A conversation yesterday on the plain account's debtor: no call for a week, other channels still open.
        await InteractionAsync(agent, plain, "call", "outbound", "promise", Instant.FromUtc(2026, 3, 1, 16, 0));

        await app.WithDbAsync(async db =>
        {
            db.Set<DebtorInconvenientTime>().Add(new DebtorInconvenientTime { DebtorId = timesDebtor, From = new LocalTime(9, 0), Until = new LocalTime(12, 0), Days = "mon,tue" });
            db.Set<DebtorInconvenientTime>().Add(new DebtorInconvenientTime { DebtorId = timesDebtor, From = new LocalTime(19, 0), Until = new LocalTime(8, 30) });
            db.Disputes.Add(new Data.Dispute { AccountId = disputed, ReceivedAt = Instant.FromUtc(2026, 2, 27, 16, 0), Written = true, RecordedBy = "agent", RecordedAt = Now });
            db.Disputes.Add(new Data.Dispute
            {
                AccountId = disputed,
                ReceivedAt = Instant.FromUtc(2026, 2, 2, 16, 0),
                Written = false,
                AmountMinor = 10_000,
                RecordedBy = "agent",
                RecordedAt = Now,
                VerifiedAt = Instant.FromUtc(2026, 2, 12, 16, 0),
                VerifiedBy = "agent",
            });
            await db.SaveChangesAsync(Cancel);
        });

        var accounts = new[] { plain, cease, optedOut, busy, other, inconvenient, disputed };
        foreach (var channel in new[] { ContactChannel.Call, ContactChannel.Email, ContactChannel.Letter })
        {
            foreach (var at in new[] { Now, Instant.FromUtc(2026, 3, 2, 12, 0), Instant.FromUtc(2026, 3, 4, 23, 30) })
            {
                var alone = new Dictionary<long, string>();
                foreach (var id in accounts)
                {
                    var question = await app.WithDbAsync(db => ContactQuestion.LoadAsync(db, id, channel, null, ContactPurpose.Collection, at, null, Cancel));
                    alone[id] = Describe(question!.Decide());
                }

                var batch = await app.WithDbAsync(db => ContactQuestions.DecideBatchAsync(db, [.. accounts.Reverse(), 999_999], channel, ContactPurpose.Collection, at, Cancel));
                var portfolio = await app.WithDbAsync(async db =>
                {
                    var all = new List<AccountContactDecision>();
                    await foreach (var decision in ContactQuestions.ForPortfolioAsync(db, channel, ContactPurpose.Collection, at, batchSize: 2, cancellationToken: Cancel))
                    {
                        all.Add(decision);
                    }

                    return all;
                });

                var context = string.Create(CultureInfo.InvariantCulture, $"{channel} at {at}");
                Assert.Equal([.. accounts.Reverse()], batch.Select(d => d.AccountId));
                Assert.Equal([.. accounts.Order()], portfolio.Select(d => d.AccountId));
                foreach (var decision in batch.Concat(portfolio))
                {
                    Assert.True(alone[decision.AccountId] == Describe(decision.Decision), $"{context}, account {decision.AccountId}");
                }

                if (channel == ContactChannel.Call && at == Now)
                {
                    // The set-ups do what they are meant to, so the comparison covers each of them.
                    var rules = portfolio.ToDictionary(d => d.AccountId, d => d.Decision.Reasons.Select(r => r.RuleId).ToList());
                    Assert.Contains("us.reg-f.call-after-conversation", rules[plain]);
                    Assert.Contains("us.reg-f.cease-communication", rules[cease]);
                    Assert.Contains("us.reg-f.medium-opt-out", rules[optedOut]);
                    Assert.Contains("us.reg-f.call-frequency", rules[busy]);
                    Assert.DoesNotContain("us.reg-f.call-frequency", rules[other]);
                    Assert.DoesNotContain("us.reg-f.call-after-conversation", rules[other]); // that conversation was two weeks ago
                    Assert.Contains("us.reg-f.inconvenient-time", rules[other]); // 07:00 at the 415 number
                    Assert.Contains("us.reg-f.designated-inconvenient-time", rules[inconvenient]);
                    Assert.Contains("us.reg-f.dispute-hold", rules[disputed]);
                }
            }
        }

        // Asked as automated contact (the daily cycle's own messages), the batch asks what one account at a time asks.
        foreach (var id in accounts)
        {
            var alone = Describe((await app.WithDbAsync(db => ContactQuestion.LoadAsync(db, id, ContactChannel.Call, null, ContactPurpose.Collection, Now, null, Cancel)))!
                .Automated().Decide());
            var batch = await app.WithDbAsync(db => ContactQuestions.DecideBatchAsync(db, [id], ContactChannel.Call, ContactPurpose.Collection, Now, Cancel, automated: true));
            Assert.Equal(alone, Describe(batch.Single().Decision));
        }
    }
}
