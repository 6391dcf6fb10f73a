using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Arrangements;
using Dunwell.Features.Demo;
using Dunwell.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dunwell.Tests.Features.Demo;

/// <summary>
/// The demo tells one story: every status, note and preference it seeds is true of the rest of what it seeds, so a
/// newcomer learning the product from it is never shown a contradiction (an "in arrangement" account with no
/// arrangement, a note about a link that does not exist, a call inside hours the debtor said are inconvenient).
/// </summary>
public sealed class DemoInvariantsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly string[] Weekdays = ["", "mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Every_status_note_and_preference_the_demo_seeds_is_true_of_the_rest_of_the_demo(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = await TestApp.StartAsync(database, Instant.FromUtc(2026, 3, 4, 15, 30));
        await using var scope = app.Services.CreateSystemScope();
        await DemoPortfolio.SeedAsync(scope.ServiceProvider, 600, Cancel);
        var db = scope.ServiceProvider.GetRequiredService<DunwellDb>();
        db.ChangeTracker.Clear();

        var accounts = await db.Accounts.AsNoTracking().Select(a => new { a.Id, a.Status, a.DebtorId }).ToListAsync(Cancel);
        var activeArrangements = (await db.Arrangements.Where(a => a.State == ArrangementState.Active).Select(a => a.AccountId).ToListAsync(Cancel)).ToHashSet();
        var anyArrangement = (await db.Arrangements.Select(a => a.AccountId).ToListAsync(Cancel)).ToHashSet();
        var disputes = (await db.Disputes.Select(d => d.AccountId).ToListAsync(Cancel)).ToHashSet();
        var debtors = (await db.Debtors.AsNoTracking().Include(d => d.Contacts).Include(d => d.Flags).Include(d => d.InconvenientTimes).ToListAsync(Cancel))
            .ToDictionary(d => d.Id);
        var interactions = await db.Interactions.AsNoTracking().ToListAsync(Cancel);

        // Statuses: "in arrangement" exactly where an arrangement is active, "disputed" exactly where a dispute is on record.
        Assert.Contains(accounts, a => a.Status == AccountStatus.InArrangement);
        Assert.All(accounts, a => Assert.True(a.Status == AccountStatus.InArrangement == activeArrangements.Contains(a.Id), $"account {a.Id} is {a.Status}"));
        Assert.All(accounts, a => Assert.True(a.Status == AccountStatus.Disputed == disputes.Contains(a.Id), $"account {a.Id} is {a.Status}"));

        // Notes speak of nothing the demo does not have: no payment links, no recaps or schedules that were never made.
        var notes = interactions.Select(i => i.Notes).Concat(debtors.Values.Select(d => d.ToneNotes)).OfType<string>().ToList();
        Assert.DoesNotContain(notes, n => n.Contains("link", StringComparison.OrdinalIgnoreCase));
        if (!await db.Outbox.AnyAsync(Cancel))
        {
            Assert.DoesNotContain(notes, n => n.Contains("recap", StringComparison.OrdinalIgnoreCase));
        }

        Assert.DoesNotContain(notes, n => n.Contains("scheduled", StringComparison.OrdinalIgnoreCase) || n.Contains("marked", StringComparison.OrdinalIgnoreCase));
        Assert.All(interactions.Where(i => i.Outcome == OutcomeCode.Promise), i => Assert.Contains(i.AccountId, anyArrangement));
        Assert.All(interactions.Where(i => i.Outcome == OutcomeCode.Dispute), i => Assert.Contains(i.AccountId, disputes));

        foreach (var debtor in debtors.Values)
        {
            var email = debtor.Contacts.Any(c => c is { Kind: ContactKind.Email, Consent: ConsentState.Granted });
            var phone = debtor.Contacts.Any(c => c.Kind == ContactKind.Phone);

            // Preferences: a channel the debtor can be reached on and has not opted out of; hours that agree with each other.
            Assert.True(debtor.PreferredChannel switch
            {
                InteractionChannel.Email => email,
                InteractionChannel.Call => phone && !debtor.Flags.Any(f => f.Kind == DebtorFlagKind.OptOutCalls),
                InteractionChannel.Sms => phone,
                _ => true,
            }, $"debtor {debtor.Id} prefers {debtor.PreferredChannel}");
            if (debtor.ToneNotes?.Contains("email", StringComparison.OrdinalIgnoreCase) == true)
            {
                Assert.True(email, $"debtor {debtor.Id}'s note offers email they do not have");
            }

            if (debtor is { ContactFrom: { } from, ContactUntil: { } until })
            {
                Assert.All(debtor.InconvenientTimes, t => Assert.False(t.From < until && from < t.Until,
                    $"debtor {debtor.Id}'s contact hours {from}–{until} fall inside their inconvenient time {t.From}–{t.Until}"));
            }
        }

        // Contact history: on a channel the debtor has, inside their hours, outside their inconvenient times, and never
        // after they asked not to be contacted (that way), were represented, entered breathing space, or paid off.
        var outbound = interactions.Where(i => i.Direction == InteractionDirection.Outbound).ToList();
        Assert.NotEmpty(outbound);
        foreach (var contact in outbound)
        {
            var debtor = debtors[contact.DebtorId];
            var local = contact.OccurredAt.InZone(DateTimeZoneProviders.Tzdb[debtor.TimeZone!]).LocalDateTime;
            var what = $"{contact.Channel} to debtor {debtor.Id} at {local}";
            Assert.True(contact.Channel switch
            {
                InteractionChannel.Call or InteractionChannel.Sms => debtor.Contacts.Any(c => c.Kind == ContactKind.Phone),
                InteractionChannel.Email => debtor.Contacts.Any(c => c is { Kind: ContactKind.Email, Consent: ConsentState.Granted }),
                _ => true,
            }, $"{what}: no such contact");
            if (debtor is { ContactFrom: { } from, ContactUntil: { } until })
            {
                Assert.True(local.TimeOfDay >= from && local.TimeOfDay < until, $"{what}: outside their hours {from}–{until}");
            }

            Assert.DoesNotContain(debtor.InconvenientTimes, t => local.TimeOfDay >= t.From && local.TimeOfDay < t.Until
                && (t.Days is null || t.Days.Split(',').Contains(Weekdays[(int)local.DayOfWeek])));
            Assert.DoesNotContain(debtor.Flags, f => local.Date >= f.Since && (f.Kind is DebtorFlagKind.CeaseCommunication or DebtorFlagKind.RepresentedByAttorney
                or DebtorFlagKind.BreathingSpace || (f.Kind == DebtorFlagKind.OptOutCalls && contact.Channel == InteractionChannel.Call)));
        }

        var paidOff = await db.Accounts.Where(a => a.Status == AccountStatus.Paid && a.LastPaymentDate != null).Select(a => new { a.Id, a.LastPaymentDate }).ToListAsync(Cancel);
        Assert.All(paidOff, a => Assert.DoesNotContain(outbound, i => i.AccountId == a.Id && i.OccurredAt.InUtc().Date > a.LastPaymentDate!.Value.PlusDays(1)));

        // The refusals the guide promises are there to see.
        Assert.Contains(debtors.Values, d => d.InconvenientTimes.Count > 0);
        Assert.Contains(debtors.Values, d => d.Flags.Any(f => f.Kind == DebtorFlagKind.CeaseCommunication));
        Assert.Contains(debtors.Values, d => d.Flags.Any(f => f.Kind == DebtorFlagKind.OptOutCalls));
    }
}
