using System.Globalization;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Arrangements;
using Dunwell.Domain.Fees;
using Dunwell.Domain.Ledger;
using Microsoft.EntityFrameworkCore;
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
    public static async Task<IReadOnlyList<OutboxMessage>> ActivateAsync(
        DunwellDb db, Arrangement arrangement, Account account, Components balance, string actor, Instant now, DateTimeZone creditorZone, CancellationToken cancellationToken)
    {
        if (arrangement.Kind == ArrangementKind.FeeWaiver)
        {
            return await WaiveAsync(db, arrangement, account, balance, actor, now, creditorZone, cancellationToken);
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
        // US pack: the first message to a consumer carries the validation notice with it (Templates.ValidationNotice).
        queued.AddRange(await Templates.ValidationNotice.QueueWithAsync(db, queued[0], now, cancellationToken));
        return queued;
    }

    /// <summary>
    /// A waiver is done when agreed: fees come off first, then interest, never more than is owed at that moment (a payment
    /// may have paid some of them while approval was pending). Each part names the rule it takes off, so a later
    /// recalculation of that rule does not hand it back twice. The customer is told what was taken off; if nothing is
    /// left to take off, the waiver is cancelled and the timeline says why.
    /// </summary>
    private static async Task<IReadOnlyList<OutboxMessage>> WaiveAsync(
        DunwellDb db, Arrangement arrangement, Account account, Components balance, string actor, Instant now, DateTimeZone creditorZone, CancellationToken cancellationToken)
    {
        var fees = Math.Min(arrangement.FeeWaiverMinor, Math.Max(0, balance.Fees));
        var interest = Math.Min(arrangement.FeeWaiverMinor - fees, Math.Max(0, balance.Interest));
        if (fees + interest == 0)
        {
            arrangement.State = ArrangementState.Cancelled;
            TimelineNote.Add(db, account, actor, now, $"{ProposeArrangement.Describe(arrangement)}: nothing left to waive, the fees and interest are already paid; no waiver was posted.");
            return [];
        }

        arrangement.State = ArrangementState.Completed;
        var charges = await db.Ledger.AsNoTracking()
            .Where(e => e.AccountId == account.Id && e.Reference != null
                && (e.Kind == LedgerEntryKind.Fee || e.Kind == LedgerEntryKind.Interest || e.Kind == LedgerEntryKind.Waiver))
            .Select(e => new { e.Reference, e.Kind, Amount = e.Fees + e.Interest, e.ValueDate })
            .ToListAsync(cancellationToken);
        var outstanding = charges.GroupBy(e => e.Reference!, StringComparer.Ordinal)
            .Where(g => g.Any(e => e.Kind != LedgerEntryKind.Waiver))
            .Select(g => new RuleOutstanding(g.Key, g.First(e => e.Kind != LedgerEntryKind.Waiver).Kind == LedgerEntryKind.Interest,
                g.Where(e => e.Kind != LedgerEntryKind.Waiver).Min(e => e.ValueDate), g.Sum(e => e.Amount)));
        var parts = WaiverAttribution.Split(fees, interest, outstanding);
        var valueDate = now.InZone(creditorZone).Date;
        for (var i = 0; i < parts.Count; i++)
        {
            db.Ledger.Add(new LedgerEntry
            {
                AccountId = account.Id,
                Kind = LedgerEntryKind.Waiver,
                Fees = -parts[i].FeesMinor,
                Interest = -parts[i].InterestMinor,
                Currency = account.Currency,
                ValueDate = valueDate,
                PostedAt = now,
                PostedBy = actor,
                IdempotencyKey = string.Create(CultureInfo.InvariantCulture, $"waiver:{arrangement.Id}:{i + 1}"),
                Reference = parts[i].Rule,
                Note = parts[i].Rule is { } rule ? $"Fee waiver {arrangement.Id}, off {rule}" : $"Fee waiver {arrangement.Id}",
            });
        }

        if (fees + interest < arrangement.FeeWaiverMinor)
        {
            var currency = Currency.Of(account.Currency);
            TimelineNote.Add(db, account, actor, now,
                $"{ProposeArrangement.Describe(arrangement)}: only {MoneyText.Written(fees + interest, currency)} of fees and interest was left to waive, so that much was waived.");
        }

        var confirmation = Message(arrangement, account, "fee-waiver-confirmation", now, $"waiver:{arrangement.Id}", now);
        db.Outbox.Add(confirmation);
        account.UpdatedAt = now;
        return [confirmation, .. await Templates.ValidationNotice.QueueWithAsync(db, confirmation, now, cancellationToken)];
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
