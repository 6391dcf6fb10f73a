using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Arrangements;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Arrangements;

/// <summary>
/// A payment that bounces takes back what it did: a promise it kept or a plan or settlement it completed is active again
/// (and is evaluated again at once, so a date already gone breaks it and opens the follow-up), and a settlement's
/// write-off is reversed, so the account owes again what it owed before the settlement was paid.
/// </summary>
internal static class ArrangementReopening
{
    /// <summary>Reopens what <paramref name="paymentEntryId"/> counted towards; returns how many arrangements were reopened.</summary>
    public static async Task<int> OnPaymentReversedAsync(
        DunwellDb db, Account account, long paymentEntryId, string actor, Instant now, LocalDate today, CancellationToken cancellationToken)
    {
        var done = await db.Arrangements.Include(a => a.Instalments)
            .Where(a => a.AccountId == account.Id && a.Kind != ArrangementKind.FeeWaiver
                && (a.State == ArrangementState.Kept || a.State == ArrangementState.Completed) && a.PaymentsAfterEntryId < paymentEntryId)
            .ToListAsync(cancellationToken);
        var reopened = 0;
        foreach (var arrangement in done)
        {
            // Only what stood on this payment: an older promise that other payments kept stays kept.
            var without = await EvaluateArrangements.WithoutPaymentAsync(db, arrangement, paymentEntryId, today, cancellationToken);
            if (without.State == arrangement.State)
            {
                continue;
            }

            reopened++;
            arrangement.State = ArrangementState.Active;
            arrangement.EvaluatedThrough = null;
            var writeOff = await db.Ledger.AsNoTracking()
                .Where(e => e.IdempotencyKey == $"settlement:{arrangement.Id}" && !db.Ledger.Any(r => r.ReversesEntryId == e.Id))
                .SingleOrDefaultAsync(cancellationToken);
            if (writeOff is not null)
            {
                db.Ledger.Add(Accounts.ReverseLedgerEntry.ReversalOf(writeOff, today, now, actor,
                    $"Settlement {arrangement.Id} reopened: the payment that completed it (entry {paymentEntryId}) was reversed."));
            }

            TimelineNote.Add(db, account, actor, now, $"{ProposeArrangement.Describe(arrangement)}: open again, payment entry {paymentEntryId} was reversed.");
        }

        if (reopened > 0 && account.Status is AccountStatus.Paid or AccountStatus.Settled or AccountStatus.Active)
        {
            account.Status = AccountStatus.InArrangement;
        }

        return reopened;
    }
}
