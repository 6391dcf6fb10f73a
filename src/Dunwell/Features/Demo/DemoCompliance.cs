using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Demo;

/// <summary>
/// The facts the compliance rules read, so a newcomer sees refusals and their reasons at once: every disputed account
/// has its dispute on record, one debtor asked to be left alone, and a few said when they cannot take calls.
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

        var people = await db.Debtors.Where(d => d.Kind == DebtorKind.Person && d.Flags.Count == 0).OrderBy(d => d.Id).Take(8).ToListAsync(cancellationToken);
        var today = now.InUtc().Date;
        if (people.Count > 0)
        {
            people[0].Flags.Add(new DebtorFlag
            {
                Kind = DebtorFlagKind.CeaseCommunication,
                Since = today.PlusDays(-4),
                Note = "Wrote asking us to stop contacting them.",
                RecordedBy = "system:demo",
                RecordedAt = now,
            });
        }

        foreach (var person in people.Skip(1).Take(4))
        {
            person.InconvenientTimes.Add(new DebtorInconvenientTime { From = new LocalTime(9, 0), Until = new LocalTime(17, 0), Days = "mon,tue,wed,thu,fri" });
        }

        foreach (var person in people.Skip(5))
        {
            person.Flags.Add(new DebtorFlag
            {
                Kind = DebtorFlagKind.OptOutCalls,
                Since = today.PlusDays(-10),
                Note = "Asked for email only.",
                RecordedBy = "system:demo",
                RecordedAt = now,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
