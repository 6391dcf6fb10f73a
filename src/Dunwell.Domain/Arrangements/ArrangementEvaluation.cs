using NodaTime;

namespace Dunwell.Domain.Arrangements;

/// <summary>
/// What an arrangement is: a promise is one instalment; a settlement accepts less than the balance; a fee waiver takes
/// fees and interest off the balance and has no payments (it is done when agreed).
/// </summary>
public enum ArrangementKind
{
    Promise,
    Plan,
    Settlement,
    FeeWaiver,
}

public enum ArrangementState
{
    Proposed,
    PendingApproval,
    Active,
    Kept,
    Broken,
    Completed,
    Defaulted,
    Cancelled,
}

public enum InstalmentState
{
    Upcoming,
    Paid,
    PartlyPaid,
    Late,
    Missed,
}

/// <summary>A payment as evaluation needs it: the day it was made and how much, in minor units.</summary>
public sealed record ReceivedPayment(LocalDate PaidOn, long AmountMinor);

/// <summary>An instalment as agreed: when and how much.</summary>
public sealed record AgreedInstalment(int Number, LocalDate DueOn, long AmountMinor);

/// <summary>Grace days after a due date before an unpaid instalment counts as missed, and how many missed instalments default a plan.</summary>
public sealed record EvaluationRules(int GraceDays, int MissedInstalmentsToDefault);

public sealed record InstalmentStatus(int Number, LocalDate DueOn, long AmountMinor, long PaidMinor, InstalmentState State, LocalDate? PaidInFullOn);

public sealed record ArrangementEvaluation(ArrangementState State, IReadOnlyList<InstalmentStatus> Instalments, long PaidMinor, long OverpaidMinor, int Missed)
{
    /// <summary>The first instalment that went from due to missed on this evaluation date (opens a follow-up task).</summary>
    public InstalmentStatus? NewlyMissed { get; init; }
}

/// <summary>
/// Kept, broken, current, late or defaulted: a pure function of the agreed instalments, the payments made since the
/// arrangement started and a date. Payments go to the oldest unpaid instalment first; an overpayment carries forward.
/// Evaluating the same date twice gives the same answer, and a later date never un-breaks what an earlier date broke
/// unless a payment arrived.
/// </summary>
public static class ArrangementRules
{
    public static ArrangementEvaluation Evaluate(
        ArrangementKind kind, IReadOnlyList<AgreedInstalment> instalments, IEnumerable<ReceivedPayment> payments, LocalDate asOf, EvaluationRules rules)
    {
        ArgumentOutOfRangeException.ThrowIfZero(instalments.Count);

        // Only payments made by the evaluation date count, whatever was loaded.
        var paidByDate = payments.Where(p => p.PaidOn <= asOf && p.AmountMinor > 0).OrderBy(p => p.PaidOn).ToList();
        var remainingPayments = new Queue<ReceivedPayment>(paidByDate);
        var carry = 0L;
        LocalDate? carryDate = null;
        var statuses = new List<InstalmentStatus>(instalments.Count);
        var missed = 0;
        InstalmentStatus? newlyMissed = null;

        foreach (var instalment in instalments.OrderBy(i => i.DueOn).ThenBy(i => i.Number))
        {
            var paid = 0L;
            LocalDate? paidInFullOn = null;
            while (paid < instalment.AmountMinor)
            {
                if (carry == 0)
                {
                    if (!remainingPayments.TryDequeue(out var next))
                    {
                        break;
                    }

                    carry = next.AmountMinor;
                    carryDate = next.PaidOn;
                }

                var take = Math.Min(carry, instalment.AmountMinor - paid);
                paid += take;
                carry -= take;
                if (paid == instalment.AmountMinor)
                {
                    paidInFullOn = carryDate;
                }
            }

            var missedFrom = instalment.DueOn.PlusDays(rules.GraceDays + 1);
            var state = paid >= instalment.AmountMinor
                ? InstalmentState.Paid
                : asOf >= missedFrom ? InstalmentState.Missed
                : asOf > instalment.DueOn ? InstalmentState.Late
                : paid > 0 ? InstalmentState.PartlyPaid
                : InstalmentState.Upcoming;
            var status = new InstalmentStatus(instalment.Number, instalment.DueOn, instalment.AmountMinor, paid, state, paidInFullOn);
            if (state == InstalmentState.Missed)
            {
                missed++;
                if (asOf == missedFrom)
                {
                    newlyMissed ??= status;
                }
            }

            statuses.Add(status);
        }

        var overpaid = carry + remainingPayments.Sum(p => p.AmountMinor);
        var totalPaid = paidByDate.Sum(p => p.AmountMinor);
        var allPaid = statuses.All(s => s.State == InstalmentState.Paid);
        var overall = (kind, allPaid, missed) switch
        {
            (ArrangementKind.Promise, true, _) => ArrangementState.Kept,
            (ArrangementKind.Promise, false, > 0) => ArrangementState.Broken,
            (_, true, _) => ArrangementState.Completed,
            (ArrangementKind.Settlement, false, > 0) => ArrangementState.Broken,
            (ArrangementKind.Plan, false, var m) when m >= rules.MissedInstalmentsToDefault => ArrangementState.Defaulted,
            _ => ArrangementState.Active,
        };

        return new ArrangementEvaluation(overall, statuses, totalPaid, overpaid, missed) { NewlyMissed = newlyMissed };
    }
}
