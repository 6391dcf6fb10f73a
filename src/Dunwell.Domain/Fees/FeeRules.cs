using System.Globalization;
using Dunwell.Domain.Amounts;
using NodaTime;

namespace Dunwell.Domain.Fees;

/// <summary>A fee or interest rule of a creditor's policy. Rules are data; <see cref="FeeAccrual"/> applies them.</summary>
public abstract record FeeRule(string Id)
{
    /// <summary>A fixed fee once the account is this many days past due, e.g. 25.00 at 30 days.</summary>
    public sealed record FixedLateFee(string RuleId, int AfterDaysPastDue, long AmountMinor) : FeeRule(RuleId);

    /// <summary>A percentage of the principal once, e.g. 5% at 60 days, capped.</summary>
    public sealed record PercentageFee(string RuleId, int AfterDaysPastDue, int BasisPoints, long CapMinor) : FeeRule(RuleId);

    /// <summary>Simple daily interest on the principal from the day after the due date (annual rate / 365), capped in total.</summary>
    public sealed record DailySimpleInterest(string RuleId, int AnnualBasisPoints, long CapMinor) : FeeRule(RuleId);
}

/// <summary>Days on which no fee or interest may accrue (a UK breathing space, an open dispute): both ends included.</summary>
public sealed record BlockedPeriod(LocalDate From, LocalDate Through, string Reason);

/// <summary>One itemised charge: which rule, for which days, at what rate, on what base, for how much, and why in words.</summary>
public sealed record FeeCharge(string Rule, LocalDate From, LocalDate Through, int? RateBasisPoints, long BaseMinor, long AmountMinor, string Explanation);

/// <summary>The principal owed from a date on (until the next entry of a history in date order).</summary>
public sealed record PrincipalFrom(LocalDate From, long Minor);

/// <summary>
/// Applies fee rules to one account as of a date. Each rule is charged at most once (interest: once per day), never on a
/// blocked day, on the principal owed that day, so the result is the full itemised list of what may have been charged
/// by then; the host posts the difference from what is already on the ledger, which keeps accrual idempotent.
/// </summary>
public static class FeeAccrual
{
    /// <summary>Whether a rule's charges are interest or fees on the ledger (they are paid in the policy's allocation order).</summary>
    public static bool IsInterest(FeeRule rule) => rule is FeeRule.DailySimpleInterest;

    /// <summary>The same principal throughout, e.g. for a quote before any payment.</summary>
    public static IReadOnlyList<FeeCharge> Compute(
        IEnumerable<FeeRule> rules, Money principal, LocalDate dueDate, LocalDate asOf, IReadOnlyList<BlockedPeriod> blocked) =>
        Compute(rules, principal.Currency, [new PrincipalFrom(LocalDate.MinIsoValue, principal.Minor)], dueDate, asOf, blocked);

    /// <summary>With the principal's history (from the ledger): a payment lowers the base of interest from its value date.</summary>
    public static IReadOnlyList<FeeCharge> Compute(
        IEnumerable<FeeRule> rules, Currency currency, IReadOnlyList<PrincipalFrom> principalHistory, LocalDate dueDate, LocalDate asOf,
        IReadOnlyList<BlockedPeriod> blocked)
    {
        // Entries that leave the principal as it was would only split the statement's lines.
        var history = new List<PrincipalFrom>();
        foreach (var entry in principalHistory.OrderBy(p => p.From))
        {
            if (history.Count == 0 || history[^1].Minor != entry.Minor)
            {
                history.Add(entry);
            }
        }

        var charges = new List<FeeCharge>();
        foreach (var rule in rules)
        {
            switch (rule)
            {
                case FeeRule.FixedLateFee fixedFee:
                    {
                        var on = dueDate.PlusDays(fixedFee.AfterDaysPastDue);
                        if (on <= asOf && !IsBlocked(on, blocked) && PrincipalOn(history, on) > 0)
                        {
                            charges.Add(new FeeCharge(rule.Id, on, on, null, 0, fixedFee.AmountMinor,
                                string.Create(CultureInfo.InvariantCulture, $"Late fee of {MoneyText.Written(fixedFee.AmountMinor, currency)}, charged {fixedFee.AfterDaysPastDue} days after the due date.")));
                        }

                        break;
                    }

                case FeeRule.PercentageFee percentage:
                    {
                        var on = dueDate.PlusDays(percentage.AfterDaysPastDue);
                        var principal = PrincipalOn(history, on);
                        if (on <= asOf && !IsBlocked(on, blocked) && principal > 0)
                        {
                            var amount = (long)Int128.Min(percentage.CapMinor, (Int128)principal * percentage.BasisPoints / 10_000); // no overflow at the largest principal
                            charges.Add(new FeeCharge(rule.Id, on, on, percentage.BasisPoints, principal, amount,
                                string.Create(CultureInfo.InvariantCulture, $"Collection fee of {percentage.BasisPoints / 100m:0.##}% of {MoneyText.Written(principal, currency)} (at most {MoneyText.Written(percentage.CapMinor, currency)}), charged {percentage.AfterDaysPastDue} days after the due date.")));
                        }

                        break;
                    }

                case FeeRule.DailySimpleInterest interest:
                    charges.AddRange(InterestRuns(interest, currency, history, dueDate.PlusDays(1), asOf, blocked));
                    break;
            }
        }

        return charges;
    }

    /// <summary>
    /// Interest in runs of days with one principal and no block: a run ends where a block starts or ends or the principal
    /// changes, so every line of the statement has one base, one rate and one day count.
    /// </summary>
    private static IEnumerable<FeeCharge> InterestRuns(
        FeeRule.DailySimpleInterest rule, Currency currency, IReadOnlyList<PrincipalFrom> history, LocalDate from, LocalDate through, IReadOnlyList<BlockedPeriod> blocked)
    {
        if (from > through)
        {
            yield break;
        }

        var cuts = new SortedSet<LocalDate> { through.PlusDays(1) };
        foreach (var change in history.Where(p => p.From > from && p.From <= through))
        {
            cuts.Add(change.From);
        }

        foreach (var block in blocked)
        {
            if (block.From > from && block.From <= through)
            {
                cuts.Add(block.From);
            }

            if (block.Through >= from && block.Through < through)
            {
                cuts.Add(block.Through.PlusDays(1));
            }
        }

        var chargedSoFar = 0L;
        var start = from;
        foreach (var cut in cuts)
        {
            var end = cut.PlusDays(-1);
            var principal = PrincipalOn(history, start);
            if (!IsBlocked(start, blocked) && principal > 0 && chargedSoFar < rule.CapMinor)
            {
                var days = Period.DaysBetween(start, end) + 1;
                var amount = Math.Min(rule.CapMinor - chargedSoFar, SimpleInterest.Compute(principal, rule.AnnualBasisPoints, days));
                chargedSoFar += amount;
                yield return new FeeCharge(rule.Id, start, end, rule.AnnualBasisPoints, principal, amount,
                    string.Create(CultureInfo.InvariantCulture, $"Interest at {rule.AnnualBasisPoints / 100m:0.##}% a year on {MoneyText.Written(principal, currency)} for {days} days, {start:d MMM yyyy} to {end:d MMM yyyy}."));
            }

            start = cut;
        }
    }

    private static long PrincipalOn(IReadOnlyList<PrincipalFrom> history, LocalDate day)
    {
        var principal = 0L;
        foreach (var entry in history)
        {
            if (entry.From > day)
            {
                break;
            }

            principal = entry.Minor;
        }

        return principal;
    }

    private static bool IsBlocked(LocalDate day, IReadOnlyList<BlockedPeriod> blocked) =>
        blocked.Any(b => day >= b.From && day <= b.Through);
}

public enum FeeRuleKind
{
    FixedLateFee,
    PercentageFee,
    DailySimpleInterest,
}

/// <summary>A fee rule as stored in a creditor's policy: one flat shape for every kind, turned into a <see cref="FeeRule"/> to apply.</summary>
/// <param name="Id">Names the rule and its ledger entries, e.g. <c>late-fee</c>; at most 60 characters.</param>
/// <param name="Kind">
/// <c>fixedLateFee</c>: <c>amountMinor</c> once, <c>afterDaysPastDue</c> days after the due date. <c>percentageFee</c>:
/// <c>basisPoints</c> of the principal once, after <c>afterDaysPastDue</c> days, at most <c>capMinor</c>.
/// <c>dailySimpleInterest</c>: <c>basisPoints</c> a year on the principal, day by day, until <c>capMinor</c> in total.
/// </param>
/// <param name="AfterDaysPastDue">Days after the due date before a fee is charged (fixed and percentage fees).</param>
/// <param name="AmountMinor">The fixed fee, in minor units of the account's currency (1250 is 12.50).</param>
/// <param name="BasisPoints">A rate in hundredths of a percent: 150 is 1.5% (a percentage fee, or interest a year).</param>
/// <param name="CapMinor">The most this rule charges an account in total, in minor units; no cap when absent.</param>
public sealed record FeeRuleSpec(string Id, FeeRuleKind Kind, int AfterDaysPastDue = 0, long AmountMinor = 0, int BasisPoints = 0, long CapMinor = long.MaxValue)
{
    /// <summary>
    /// The first day the creditor's terms allow this rule (the date of the agreement or of the change of terms). When
    /// empty, the rule applies from the day the policy version that brings it in is saved, never before.
    /// </summary>
    public LocalDate? From { get; init; }

    public FeeRule ToRule() => Kind switch
    {
        FeeRuleKind.FixedLateFee => new FeeRule.FixedLateFee(Id, AfterDaysPastDue, AmountMinor),
        FeeRuleKind.PercentageFee => new FeeRule.PercentageFee(Id, AfterDaysPastDue, BasisPoints, CapMinor),
        FeeRuleKind.DailySimpleInterest => new FeeRule.DailySimpleInterest(Id, BasisPoints, CapMinor),
    };

    /// <summary>Problems with the rule, keyed by field, for the policy editor.</summary>
    public IEnumerable<(string Field, string Message)> Problems()
    {
        if (string.IsNullOrWhiteSpace(Id))
        {
            yield return ("id", "Give the rule an id, e.g. late-fee.");
        }
        else if (Id.Length > 60)
        {
            // The id names the rule's entries on the ledger, so it has to fit there.
            yield return ("id", "A rule id is at most 60 characters.");
        }

        if (AfterDaysPastDue < 0 || AmountMinor < 0 || BasisPoints < 0 || CapMinor < 0)
        {
            yield return ("amount", "Days, amounts, rates and caps cannot be negative.");
        }

        // Bounded like every other input (Plausible), so dates and sums built from them cannot overflow.
        if (AfterDaysPastDue > Inputs.Plausible.MaxPolicyDays || AmountMinor > Inputs.Plausible.MaxMinor(3) || BasisPoints > Inputs.Plausible.MaxBasisPoints)
        {
            yield return ("amount", $"Days are at most {Inputs.Plausible.MaxPolicyDays}, an amount at most {Inputs.Plausible.MaxMajorUnits} major units, a rate at most {Inputs.Plausible.MaxBasisPoints / 100}%.");
        }

        if (From is { } from && Inputs.Plausible.DateProblem(from) is { } dateProblem)
        {
            yield return ("from", $"The date {dateProblem}.");
        }

        if (Kind == FeeRuleKind.FixedLateFee && AmountMinor == 0)
        {
            yield return ("amountMinor", "A fixed fee needs an amount.");
        }

        if (Kind is FeeRuleKind.PercentageFee or FeeRuleKind.DailySimpleInterest && BasisPoints == 0)
        {
            yield return ("basisPoints", "A percentage fee or interest rule needs a rate.");
        }
    }
}

/// <summary>One rule as it stood for a stretch of time: from <see cref="From"/> until <see cref="Until"/> (excluded; null while in force).</summary>
public sealed record RulePeriod(FeeRuleSpec Spec, LocalDate From, LocalDate? Until);

/// <summary>
/// A creditor's fee terms over time, from its policy versions. A rule charges only while it was in force: a rule added
/// or raised today does not reach back over days that ran under other terms, and a rule removed keeps what it charged.
/// </summary>
public static class FeeTerms
{
    /// <summary>The periods of each rule, from the policy versions in the order they were saved, each with the day it was saved.</summary>
    public static IReadOnlyList<RulePeriod> Periods(IEnumerable<(IReadOnlyList<FeeRuleSpec> Rules, LocalDate Saved)> versions)
    {
        var periods = new List<RulePeriod>();
        var open = new Dictionary<string, (FeeRuleSpec Spec, LocalDate From)>(StringComparer.Ordinal);
        var ended = new Dictionary<string, LocalDate>(StringComparer.Ordinal);
        foreach (var (rules, saved) in versions)
        {
            var now = rules.ToDictionary(r => r.Id, StringComparer.Ordinal);
            foreach (var (id, (spec, from)) in open.ToList())
            {
                if (now.TryGetValue(id, out var same) && same == spec)
                {
                    continue;
                }

                var end = now.TryGetValue(id, out var changed) ? changed.From ?? saved : saved;
                end = end < from ? from : end;
                periods.Add(new RulePeriod(spec, from, end));
                ended[id] = end;
                open.Remove(id);
            }

            foreach (var (id, spec) in now.Where(r => !open.ContainsKey(r.Key)))
            {
                var from = spec.From ?? saved;
                open[id] = (spec, ended.TryGetValue(id, out var last) && last > from ? last : from);
            }
        }

        periods.AddRange(open.Values.Select(o => new RulePeriod(o.Spec, o.From, null)));
        return periods;
    }

    /// <summary>
    /// Every charge the terms allow by <paramref name="asOf"/>: each period's rule applied only to its own days, the
    /// interest cap counted across all periods of a rule.
    /// </summary>
    public static IReadOnlyList<FeeCharge> Compute(
        IReadOnlyList<RulePeriod> periods, Currency currency, IReadOnlyList<PrincipalFrom> principalHistory, LocalDate dueDate, LocalDate asOf,
        IReadOnlyList<BlockedPeriod> blocked)
    {
        var charges = new List<FeeCharge>();
        var interestSoFar = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var period in periods.OrderBy(p => p.From))
        {
            var spec = period.Spec;
            if (spec.Kind == FeeRuleKind.DailySimpleInterest && spec.CapMinor != long.MaxValue)
            {
                spec = spec with { CapMinor = Math.Max(0, spec.CapMinor - interestSoFar.GetValueOrDefault(spec.Id)) };
            }

            List<BlockedPeriod> outside = [.. blocked];
            if (period.From > LocalDate.MinIsoValue)
            {
                outside.Add(new BlockedPeriod(LocalDate.MinIsoValue, period.From.PlusDays(-1), "not yet in the creditor's terms"));
            }

            if (period.Until is { } until)
            {
                outside.Add(new BlockedPeriod(until, LocalDate.MaxIsoValue, "no longer in the creditor's terms"));
            }

            foreach (var charge in FeeAccrual.Compute([spec.ToRule()], currency, principalHistory, dueDate, asOf, outside))
            {
                charges.Add(charge);
                if (spec.Kind == FeeRuleKind.DailySimpleInterest)
                {
                    interestSoFar[spec.Id] = interestSoFar.GetValueOrDefault(spec.Id) + charge.AmountMinor;
                }
            }
        }

        return charges;
    }
}
