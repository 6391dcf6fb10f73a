using System.Globalization;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Amounts;
using NodaTime;

namespace Dunwell.Domain.Arrangements;

/// <summary>The terms someone wants to agree, reduced to what limits are checked against.</summary>
public sealed record ProposedTerms(
    ArrangementKind Kind,
    Currency Currency,
    long BalanceMinor,
    long AgreedTotalMinor,
    LocalDate FirstPaymentOn,
    LocalDate LastPaymentOn,
    int Instalments,
    long SmallestInstalmentMinor,
    Frequency? Frequency,
    long FeeWaiverMinor)
{
    /// <summary>The first payment of a plan (its down payment, if it has one): what the policy's minimum down payment is checked against.</summary>
    public long FirstInstalmentMinor { get; init; }
}

/// <summary>One limit the terms go beyond: which, what it allows, what was asked, in words.</summary>
public sealed record LimitFinding(string Limit, string Message);

/// <summary>Outside policy: refused outright. Within policy but beyond the role's authority: needs approval first.</summary>
public sealed record AuthorityDecision(IReadOnlyList<LimitFinding> OutsidePolicy, IReadOnlyList<LimitFinding> BeyondAuthority)
{
    public bool Refused => OutsidePolicy.Count > 0;

    public bool NeedsApproval => !Refused && BeyondAuthority.Count > 0;
}

/// <summary>"Never promise what you can't deliver": every proposal is checked against policy and the proposer's authority.</summary>
public static class Authority
{
    public static AuthorityDecision Check(ProposedTerms terms, CreditorPolicy policy, string role, int daysPastDue, LocalDate today)
    {
        if (terms.Kind == ArrangementKind.FeeWaiver)
        {
            return CheckWaiver(terms, policy, role);
        }

        var outside = new List<LimitFinding>();
        var beyond = new List<LimitFinding>();
        // Only a settlement forgives anything. Shown rounded up, compared exactly: 89,999.99 of 100,000.00 is over a 10% limit.
        var forgiven = terms.Kind == ArrangementKind.Settlement ? Math.Max(0, terms.BalanceMinor - terms.AgreedTotalMinor) : 0;
        var discount = terms.BalanceMinor <= 0 ? 0 : (int)CeilingDiv(forgiven * 10_000, terms.BalanceMinor);
        bool DiscountOver(int maxBasisPoints) => (Int128)forgiven * 10_000 > (Int128)maxBasisPoints * terms.BalanceMinor;
        var months = Period.Between(terms.FirstPaymentOn, terms.LastPaymentOn, PeriodUnits.Months).Months + 1;
        var firstPaymentDeadline = today.PlusDays(policy.Plan.FirstPaymentWithinDays);

        switch (terms.Kind)
        {
            case ArrangementKind.Promise when !policy.OfferPromise:
            case ArrangementKind.Plan when !policy.OfferPlan:
            case ArrangementKind.Settlement when !policy.Settlement.Allowed:
                outside.Add(new("offered", $"This creditor does not offer a {terms.Kind.ToString().ToLowerInvariant()}."));
                break;
        }

        if (terms.FirstPaymentOn < today)
        {
            outside.Add(new("first-payment", "The first payment cannot be in the past."));
        }

        // However far a role may extend the first payment, it comes within the longest plan the policy allows.
        var latestFirstPayment = today.PlusMonths(policy.Plan.MaxMonths);
        if (terms.Instalments > 1 && terms.FirstPaymentOn > latestFirstPayment)
        {
            outside.Add(new("first-payment-window", $"The first payment must be on or before {latestFirstPayment:yyyy-MM-dd} ({policy.Plan.MaxMonths} months ahead, the longest plan this policy allows)."));
        }

        // A promise may be for part of the balance (no less than the policy's minimum); a plan pays all of it.
        if (terms.Kind == ArrangementKind.Plan && terms.AgreedTotalMinor < terms.BalanceMinor)
        {
            outside.Add(new("total", "A plan pays the whole balance; only a settlement may agree less, and a promise may be for part of it."));
        }

        if (terms.Kind == ArrangementKind.Promise && terms.LastPaymentOn > today.PlusDays(policy.Promise.MaxDaysAhead))
        {
            outside.Add(new("promise-date", $"A promise may run to {today.PlusDays(policy.Promise.MaxDaysAhead):yyyy-MM-dd} at the latest ({policy.Promise.MaxDaysAhead} days ahead)."));
        }

        if (terms.Kind == ArrangementKind.Settlement && terms.LastPaymentOn > today.PlusDays(policy.Settlement.PayWithinDays))
        {
            outside.Add(new("settlement-date", $"A settlement must be paid by {today.PlusDays(policy.Settlement.PayWithinDays):yyyy-MM-dd} ({policy.Settlement.PayWithinDays} days)."));
        }

        if (terms.Kind == ArrangementKind.Settlement)
        {
            var maxByPolicy = policy.MaxSettlementDiscount(daysPastDue, terms.BalanceMinor);
            if (DiscountOver(maxByPolicy))
            {
                outside.Add(new("settlement-discount", $"A discount of {Percent(discount)} is more than the {Percent(maxByPolicy)} policy allows for this account."));
            }
        }

        // A plan, and a settlement in instalments, keep to the policy's frequencies and minimum instalment.
        if (terms.Kind == ArrangementKind.Plan || (terms.Kind == ArrangementKind.Settlement && terms.Instalments > 1))
        {
            if (terms.Frequency is { } frequency && !policy.Plan.Frequencies.Contains(frequency))
            {
                outside.Add(new("frequency", $"{frequency} instalments are not offered."));
            }

            if (terms.SmallestInstalmentMinor < policy.Plan.MinInstalmentMinor)
            {
                outside.Add(new("min-instalment", $"An instalment of {Amount(terms, terms.SmallestInstalmentMinor)} is below the minimum of {Amount(terms, policy.Plan.MinInstalmentMinor)}."));
            }
        }

        if (terms.Kind == ArrangementKind.Plan)
        {
            if (months > policy.Plan.MaxMonths)
            {
                outside.Add(new("plan-length", $"A plan of {months} months is longer than the {policy.Plan.MaxMonths} months policy allows."));
            }

            var downPayment = CeilingDiv(terms.AgreedTotalMinor * policy.Plan.MinDownPaymentBasisPoints, 10_000);
            if (terms.FirstInstalmentMinor < downPayment)
            {
                outside.Add(new("down-payment", $"A plan starts with a down payment of at least {Amount(terms, downPayment)} ({Percent(policy.Plan.MinDownPaymentBasisPoints)} of the total)."));
            }
        }

        if (terms.Kind == ArrangementKind.Promise && terms.AgreedTotalMinor < Math.Min(policy.Promise.MinAmountMinor, terms.BalanceMinor))
        {
            outside.Add(new("min-promise", $"A promise must be for at least {Amount(terms, policy.Promise.MinAmountMinor)}."));
        }

        if (LimitsOf(policy, role) is not { } limits)
        {
            return new AuthorityDecision(outside, beyond);
        }

        if (DiscountOver(limits.MaxDiscountBasisPoints))
        {
            beyond.Add(new("max-discount", $"A discount of {Percent(discount)} is beyond the {Percent(limits.MaxDiscountBasisPoints)} {WithArticle(role)} may agree."));
        }

        if (terms.Kind == ArrangementKind.Plan && months > limits.MaxPlanMonths)
        {
            beyond.Add(new("max-plan-months", $"A plan of {months} months is beyond the {limits.MaxPlanMonths} months {WithArticle(role)} may agree."));
        }

        if (terms.Kind == ArrangementKind.Plan && terms.FirstPaymentOn > firstPaymentDeadline && !limits.MayExtendFirstPayment)
        {
            beyond.Add(new("first-payment-window", $"A first payment on {terms.FirstPaymentOn:yyyy-MM-dd} is after {firstPaymentDeadline:yyyy-MM-dd}, the latest {WithArticle(role)} may agree."));
        }

        return new AuthorityDecision(outside, beyond);
    }

    /// <summary>A waiver has no payments to bound: only what the role may waive, and that it waives something.</summary>
    private static AuthorityDecision CheckWaiver(ProposedTerms terms, CreditorPolicy policy, string role)
    {
        var outside = new List<LimitFinding>();
        var beyond = new List<LimitFinding>();
        if (terms.FeeWaiverMinor <= 0)
        {
            outside.Add(new("fee-waiver", "A fee waiver must waive something."));
        }

        if (LimitsOf(policy, role) is { } limits && terms.FeeWaiverMinor > limits.FeeWaiverCapMinor)
        {
            beyond.Add(new("fee-waiver", $"Waiving {Amount(terms, terms.FeeWaiverMinor)} of fees is beyond the {Amount(terms, limits.FeeWaiverCapMinor)} {WithArticle(role)} may waive."));
        }

        return new AuthorityDecision(outside, beyond);
    }

    /// <summary>
    /// Who could approve terms within policy: a supervisor when the supervisor's limits cover them; otherwise only an
    /// admin, who is bounded by policy alone, so no role's authority covers them and the policy is what should change.
    /// </summary>
    public static string ApproverFor(ProposedTerms terms, CreditorPolicy policy, int daysPastDue, LocalDate today) =>
        Check(terms, policy, Roles.Supervisor, daysPastDue, today).BeyondAuthority.Count == 0 ? Roles.Supervisor : Roles.Admin;

    /// <summary>
    /// Admins are bounded by policy alone (null). Any other role has the limits the policy lists for it, and a role the
    /// policy does not list may agree nothing without approval: a missing or misspelt entry never widens authority.
    /// </summary>
    public static AuthorityLimits? LimitsOf(CreditorPolicy policy, string role) =>
        role == Roles.Admin ? null : policy.Authority.GetValueOrDefault(role) ?? NoAuthority;

    private static readonly AuthorityLimits NoAuthority = new(MaxDiscountBasisPoints: 0, MaxPlanMonths: 0, FeeWaiverCapMinor: 0, MayExtendFirstPayment: false);

    private static long CeilingDiv(long numerator, long denominator) => numerator <= 0 ? numerator / denominator : ((numerator - 1) / denominator) + 1;

    private static string Amount(ProposedTerms terms, long minor) => MoneyText.Written(minor, terms.Currency);

    private static string WithArticle(string role) => role.Length > 0 && "aeiou".Contains(role[0], StringComparison.Ordinal) ? $"an {role}" : $"a {role}";

    internal static string Percent(int basisPoints) => string.Create(CultureInfo.InvariantCulture, $"{basisPoints / 100m:0.##}%");
}
