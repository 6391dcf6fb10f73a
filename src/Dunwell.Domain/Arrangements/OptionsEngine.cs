using System.Globalization;
using Dunwell.Domain.Amounts;
using Dunwell.Domain.Ledger;
using NodaTime;

namespace Dunwell.Domain.Arrangements;

public enum OfferKind
{
    PayInFull,
    Promise,
    Plan,
    Settlement,
}

/// <summary>One option policy allows, fully specified: what is paid, when, how much is forgiven, in plain words.</summary>
public sealed record Offer(
    OfferKind Kind,
    string Summary,
    Money TotalPayable,
    Money Discount,
    LocalDate PayBy,
    Frequency? Frequency,
    IReadOnlyList<Instalment> Instalments)
{
    /// <summary>The terms as the authority check sees them.</summary>
    public ProposedTerms ToTerms(Components balance) => new(
        Kind switch
        {
            OfferKind.PayInFull or OfferKind.Promise => ArrangementKind.Promise,
            OfferKind.Plan => ArrangementKind.Plan,
            OfferKind.Settlement => ArrangementKind.Settlement,
        },
        TotalPayable.Currency,
        balance.Total,
        TotalPayable.Minor,
        Instalments[0].DueOn,
        Instalments[^1].DueOn,
        Instalments.Count,
        Instalments.Min(i => i.Amount.Minor),
        Frequency,
        FeeWaiverMinor: 0)
    {
        FirstInstalmentMinor = Instalments[0].Amount.Minor,
    };
}

/// <summary>
/// The options engine: for an account's balance on a date, the offers its creditor's policy allows. One source of
/// truth for the agent's page, the API, the debtor portal and message templates. Every offer it returns is within
/// policy; whether the person proposing it has the authority is a separate check.
/// </summary>
public static class OptionsEngine
{
    /// <summary>Days from today to the first payment of a standard plan, inside the policy's window.</summary>
    private const int PlanStartsWithinDays = 7;

    /// <remarks>
    /// Given the viewer's <paramref name="authority"/>, a plan longer than they may agree alone is followed by the longest
    /// plan of the same frequency that they may agree alone, so there is always something they can agree on the call.
    /// </remarks>
    public static IReadOnlyList<Offer> Offers(
        Components balance, Currency currency, int daysPastDue, LocalDate today, CreditorPolicy policy, AuthorityLimits? authority = null)
    {
        var total = balance.Total;
        if (total <= 0)
        {
            return [];
        }

        var owed = new Money(total, currency);
        var none = Money.Zero(currency);
        var offers = new List<Offer>();
        if (policy.OfferPayInFull)
        {
            offers.Add(new Offer(OfferKind.PayInFull, $"Pay the full {Text(owed)} today.", owed, none, today, null, [new Instalment(1, today, owed)]));
        }

        if (policy.OfferPromise && total >= policy.Promise.MinAmountMinor && policy.Promise.MaxDaysAhead > 0)
        {
            var by = today.PlusDays(policy.Promise.MaxDaysAhead);
            offers.Add(new Offer(OfferKind.Promise, string.Create(CultureInfo.InvariantCulture, $"Pay the full {Text(owed)} by {by:d MMMM yyyy}."),
                owed, none, by, null, [new Instalment(1, by, owed)]));
        }

        if (policy.OfferPlan)
        {
            var first = today.PlusDays(Math.Min(PlanStartsWithinDays, policy.Plan.FirstPaymentWithinDays));
            foreach (var frequency in policy.Plan.Frequencies.Distinct().Order())
            {
                var plan = LongestPlan(owed, first, frequency, policy.Plan);
                if (plan is not null)
                {
                    offers.Add(plan);
                }

                if (authority is { MaxPlanMonths: > 0 } limits && limits.MaxPlanMonths < policy.Plan.MaxMonths
                    && LongestPlan(owed, first, frequency, policy.Plan with { MaxMonths = limits.MaxPlanMonths }) is { } alone
                    && alone.Instalments.Count != plan?.Instalments.Count)
                {
                    offers.Add(alone);
                }
            }
        }

        var discount = policy.MaxSettlementDiscount(daysPastDue, total);
        if (discount > 0)
        {
            // The discount is rounded down, so the customer is never told a figure policy does not allow.
            var forgiven = new Money(total * discount / 10_000, currency);
            var pay = owed - forgiven;
            var by = today.PlusDays(policy.Settlement.PayWithinDays);
            offers.Add(new Offer(OfferKind.Settlement,
                string.Create(CultureInfo.InvariantCulture, $"Settle for {Text(pay)} instead of {Text(owed)} if paid by {by:d MMMM yyyy}; {Text(forgiven)} would be written off."),
                pay, forgiven, by, null, [new Instalment(1, by, pay)]));
            if (SettlementInInstalments(pay, forgiven, owed, today, by, policy) is { } spread)
            {
                offers.Add(spread);
            }
        }

        return offers;
    }

    /// <summary>
    /// The same settlement in monthly payments, when the policy's pay-within window holds two or more of them (from a
    /// week ahead) and each is at least the plan minimum: a short plan for less than the balance.
    /// </summary>
    private static Offer? SettlementInInstalments(Money pay, Money forgiven, Money owed, LocalDate today, LocalDate by, CreditorPolicy policy)
    {
        if (!policy.Plan.Frequencies.Contains(Frequency.Monthly))
        {
            return null;
        }

        var first = today.PlusDays(Math.Min(PlanStartsWithinDays, policy.Settlement.PayWithinDays));
        var count = 0;
        while (InstalmentSchedule.DueOn(first, Frequency.Monthly, count) <= by && (count + 1) * Math.Max(1, policy.Plan.MinInstalmentMinor) <= pay.Minor)
        {
            count++;
        }

        if (count < 2)
        {
            return null;
        }

        var instalments = InstalmentSchedule.Generate(pay, first, Frequency.Monthly, count);
        return new Offer(OfferKind.Settlement,
            string.Create(CultureInfo.InvariantCulture,
                $"Settle for {Text(pay)} instead of {Text(owed)} in {count} monthly payments from {first:d MMMM yyyy} to {instalments[^1].DueOn:d MMMM yyyy}; {Text(forgiven)} would be written off once all are paid."),
            pay, forgiven, instalments[^1].DueOn, Frequency.Monthly, instalments);
    }

    /// <summary>The most affordable plan of this frequency: as many instalments as fit in the allowed months, none below the minimum.</summary>
    private static Offer? LongestPlan(Money owed, LocalDate first, Frequency frequency, PlanLimits limits)
    {
        var perMonth = frequency switch
        {
            Frequency.Weekly => 4,
            Frequency.Fortnightly => 2,
            Frequency.Monthly => 1,
        };
        // A policy that asks for a down payment gets one, as the first instalment; the rest is split after it.
        var down = limits.MinDownPaymentBasisPoints <= 0 ? 0 : Math.Max(limits.MinInstalmentMinor, (owed.Minor * limits.MinDownPaymentBasisPoints + 9_999) / 10_000);
        if (down >= owed.Minor)
        {
            return null;
        }

        var maxCount = Math.Max(1, limits.MaxMonths * perMonth);
        var rest = owed.Minor - down;
        var byMinimum = (down > 0 ? 1 : 0) + (limits.MinInstalmentMinor <= 0 ? maxCount : (int)Math.Min(maxCount, rest / limits.MinInstalmentMinor));
        byMinimum = Math.Min(byMinimum, maxCount);
        if (byMinimum < 2)
        {
            return null; // a one-instalment "plan" is a promise
        }

        // Keep the last date inside the allowed months.
        var count = byMinimum;
        while (count > 1 && Period.Between(first, InstalmentSchedule.DueOn(first, frequency, count - 1), PeriodUnits.Months).Months + 1 > limits.MaxMonths)
        {
            count--;
        }

        if (count < 2)
        {
            return null;
        }

        var instalments = down > 0
            ? InstalmentSchedule.Generate(owed, first, frequency, count - 1, new Money(down, owed.Currency))
            : InstalmentSchedule.Generate(owed, first, frequency, count);
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{count} {frequency.ToString().ToLowerInvariant()} payments of {Text(instalments[^1].Amount)}{(instalments[0].Amount != instalments[^1].Amount ? $" (the first {Text(instalments[0].Amount)})" : "")}, from {first:d MMMM yyyy} to {instalments[^1].DueOn:d MMMM yyyy}; {Text(owed)} in all.");
        return new Offer(OfferKind.Plan, summary, owed, Money.Zero(owed.Currency), instalments[^1].DueOn, frequency, instalments);
    }

    private static string Text(Money money) => MoneyText.Written(money.Minor, money.Currency);
}
