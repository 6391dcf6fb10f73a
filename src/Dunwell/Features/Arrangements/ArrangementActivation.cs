using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Arrangements;
using Dunwell.Domain.Ledger;
using NodaTime;

namespace Dunwell.Features.Arrangements;

/// <summary>
/// What happens when an arrangement is agreed (at once, or on approval): it becomes active, the account shows it, the
/// customer gets a recap, and a reminder is queued ahead of every payment date. Nothing here runs while approval is
/// pending, so nothing is promised before the business has agreed to it.
/// </summary>
internal static class ArrangementActivation
{
    /// <summary>Days before a payment date that its reminder goes out.</summary>
    public const int ReminderDaysBefore = 3;

    /// <summary>Returns the messages queued, for the compliance gate to screen once they are saved.</summary>
    public static IReadOnlyList<OutboxMessage> Activate(DunwellDb db, Arrangement arrangement, Account account, Components balance, string actor, Instant now, DateTimeZone creditorZone)
    {
        if (arrangement.Kind == ArrangementKind.FeeWaiver)
        {
            return Waive(db, arrangement, account, balance, actor, now, creditorZone);
        }

        var queued = new List<OutboxMessage>();

        arrangement.State = ArrangementState.Active;
        if (account.Status == AccountStatus.Active)
        {
            account.Status = AccountStatus.InArrangement;
            account.UpdatedAt = now;
        }

        queued.Add(Message(arrangement, account, "arrangement-recap", now, $"recap:{arrangement.Id}", now));
        foreach (var instalment in arrangement.Instalments)
        {
            // A payment too close to remind ahead of gets no reminder; the recap already names its date.
            var sendAfter = instalment.DueOn.PlusDays(-ReminderDaysBefore).AtStartOfDayInZone(creditorZone).ToInstant();
            if (sendAfter > now)
            {
                queued.Add(Message(arrangement, account, "instalment-reminder", sendAfter, $"reminder:{arrangement.Id}:{instalment.Number}", now));
            }
        }

        db.Outbox.AddRange(queued);
        return queued;
    }

    /// <summary>
    /// A waiver is done when agreed: fees come off first, then interest, never more than is owed at that moment (a payment
    /// may have paid some of them while approval was pending). The customer is told what was taken off.
    /// </summary>
    private static IReadOnlyList<OutboxMessage> Waive(DunwellDb db, Arrangement arrangement, Account account, Components balance, string actor, Instant now, DateTimeZone creditorZone)
    {
        var fees = Math.Min(arrangement.FeeWaiverMinor, Math.Max(0, balance.Fees));
        var interest = Math.Min(arrangement.FeeWaiverMinor - fees, Math.Max(0, balance.Interest));
        arrangement.State = ArrangementState.Completed;
        if (fees + interest == 0)
        {
            return [];
        }

        db.Ledger.Add(new LedgerEntry
        {
            AccountId = account.Id,
            Kind = LedgerEntryKind.Waiver,
            Fees = -fees,
            Interest = -interest,
            Currency = account.Currency,
            ValueDate = now.InZone(creditorZone).Date,
            PostedAt = now,
            PostedBy = actor,
            IdempotencyKey = $"waiver:{arrangement.Id}",
            Note = $"Fee waiver {arrangement.Id}",
        });
        var confirmation = Message(arrangement, account, "fee-waiver-confirmation", now, $"waiver:{arrangement.Id}", now);
        db.Outbox.Add(confirmation);
        account.UpdatedAt = now;
        return [confirmation];
    }

    private static OutboxMessage Message(Arrangement arrangement, Account account, string template, Instant sendAfter, string key, Instant now) => new()
    {
        AccountId = account.Id,
        ArrangementId = arrangement.Id,
        Channel = InteractionChannel.Email,
        TemplateKey = template,
        SendAfter = sendAfter,
        State = OutboxState.Queued,
        IdempotencyKey = key,
        CreatedAt = now,
    };
}
