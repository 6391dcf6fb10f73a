using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Demo;

/// <summary>
/// The facts the compliance rules read, so a newcomer sees refusals and their reasons at once: every disputed account
/// has its dispute on record, one debtor asked to be left alone and a few asked for email only (each picked among those
/// nobody contacted since, so the history agrees with the request). Who cannot take calls at work is seeded with the
/// debtor (<see cref="DemoPortfolio"/>), so their history already respects it.
/// Deterministic (by id order); runs once, inside the demo's seeding transaction.
/// </summary>
internal static class DemoCompliance
{
    public static async Task SeedAsync(DunwellDb db, Instant now, CancellationToken cancellationToken)
    {
        var disputed = await db.Accounts.Where(a => a.Status == AccountStatus.Disputed).OrderBy(a => a.Id).Select(a => a.Id).ToListAsync(cancellationToken);
        for (var i = 0; i < disputed.Count; i++)
        {
            var receivedAt = now - Duration.FromDays(3 + (i % 20)) - Duration.FromHours(i % 9);
            db.Disputes.Add(new Dispute
            {
                AccountId = disputed[i],
                ReceivedAt = receivedAt,
                Written = i % 3 != 0,
                Note = i % 2 == 0 ? "Says the final bill was estimated, not read." : "Does not recognise the late fee.",
                RecordedBy = "system:demo",
                RecordedAt = receivedAt,
            });
        }

        var today = now.InUtc().Date;
        var ceaseSince = today.PlusDays(-4);
        var ceased = await QuietSince(db, ceaseSince, channel: null).Take(1).ToListAsync(cancellationToken);
        foreach (var person in ceased)
        {
            person.Flags.Add(new DebtorFlag
            {
                Kind = DebtorFlagKind.CeaseCommunication,
                Since = ceaseSince,
                Note = "Wrote asking us to stop contacting them.",
                RecordedBy = "system:demo",
                RecordedAt = now,
            });
        }

        var emailOnlySince = today.PlusDays(-10);
        var emailOnly = await QuietSince(db, emailOnlySince, InteractionChannel.Call)
            .Where(d => d.Contacts.Any(c => c.Kind == ContactKind.Email && c.Consent == ConsentState.Granted))
            .Take(4).ToListAsync(cancellationToken);
        foreach (var person in emailOnly.Where(p => !ceased.Contains(p)).Take(3))
        {
            person.PreferredChannel = InteractionChannel.Email;
            person.Flags.Add(new DebtorFlag
            {
                Kind = DebtorFlagKind.OptOutCalls,
                Since = emailOnlySince,
                Note = "Asked for email only.",
                RecordedBy = "system:demo",
                RecordedAt = now,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// People with no flag whom nobody contacted (on <paramref name="channel"/>, or at all) from the day before
    /// <paramref name="since"/> on: the day before, so a zone behind UTC cannot put a contact on the day itself.
    /// </summary>
    private static IQueryable<Debtor> QuietSince(DunwellDb db, LocalDate since, InteractionChannel? channel)
    {
        var from = since.PlusDays(-1).AtMidnight().InUtc().ToInstant();
        return db.Debtors.Where(d => d.Kind == DebtorKind.Person && d.Flags.Count == 0
                && !db.Interactions.Any(i => i.DebtorId == d.Id && i.Direction == InteractionDirection.Outbound && i.OccurredAt >= from
                    && (channel == null || i.Channel == channel)))
            .OrderBy(d => d.Id);
    }
}
