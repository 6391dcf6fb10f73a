using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using Dunwell.Domain.Fees;
using Dunwell.Domain.Ledger;
using Dunwell.Domain.Messages;

namespace Dunwell.Domain.Arrangements;

/// <summary>A maximum settlement discount from a threshold on: "from 180 days past due, up to 30%".</summary>
public sealed record DiscountBand(long From, int MaxDiscountBasisPoints);

public sealed record PromiseLimits(int MaxDaysAhead, long MinAmountMinor);

public sealed record PlanLimits(int MaxMonths, long MinInstalmentMinor, IReadOnlyList<Frequency> Frequencies, int MinDownPaymentBasisPoints, int FirstPaymentWithinDays);

/// <summary>Settlement bands: the lower of the band by days past due and the band by balance applies.</summary>
public sealed record SettlementRules(bool Allowed, IReadOnlyList<DiscountBand> ByDaysPastDue, IReadOnlyList<DiscountBand> ByBalanceMinor, int PayWithinDays);

/// <summary>What one role may agree without approval.</summary>
public sealed record AuthorityLimits(int MaxDiscountBasisPoints, int MaxPlanMonths, long FeeWaiverCapMinor, bool MayExtendFirstPayment);

/// <summary>
/// A creditor's collection policy, as data: which options exist and their bounds, and what each role may agree.
/// Versioned by the host so a past decision can always be explained by the policy it was made under.
/// </summary>
public sealed record CreditorPolicy(
    bool OfferPayInFull,
    bool OfferPromise,
    bool OfferPlan,
    PromiseLimits Promise,
    PlanLimits Plan,
    SettlementRules Settlement,
    EvaluationRules Evaluation,
    IReadOnlyDictionary<string, AuthorityLimits> Authority)
{
    /// <summary>Fees and contractual interest the creditor charges; none by default.</summary>
    public IReadOnlyList<FeeRuleSpec> Fees { get; init; } = [];

    /// <summary>
    /// Whether commercial debts are charged the statutory late-payment interest and fixed compensation the law allows
    /// (UK 1998 Act, EU Directive 2011/7/EU). On by default; a creditor that waives its statutory right turns it off.
    /// </summary>
    public bool ClaimStatutoryInterest { get; init; } = true;

    /// <summary>
    /// Whether the creditor's fees and interest stop while a promise, plan or settlement is agreed and running, so what
    /// the customer agreed to pay is all they owe when they have paid it. On by default; statutory late-payment
    /// interest on commercial debts is the law's and is not frozen.
    /// </summary>
    public bool FreezeChargesDuringArrangements { get; init; } = true;

    /// <summary>
    /// The creditor's own contact rules (stricter hours, no-contact days, weekly caps, dispute holds), on top of the
    /// rule pack of its jurisdiction; they can only tighten it. None by default.
    /// </summary>
    public FirmPolicy? ContactPolicy { get; init; }

    /// <summary>The creditor's reading of the ambiguous points of its rule pack; none by default (the pack's own choices).</summary>
    public PackReading? PackReading { get; init; }

    /// <summary>The order a payment pays the balance's components in (a jurisdiction pack may set another).</summary>
    public IReadOnlyList<Component> AllocationOrder { get; init; } = PaymentAllocation.DefaultOrder;

    /// <summary>
    /// The escalations the creditor has enabled (agency referral, legal action, credit reporting, service suspension,
    /// repossession). Messages may name only these (DESIGN §2: no empty threats); none by default.
    /// </summary>
    public IReadOnlyList<Consequence> EnabledConsequences { get; init; } = [];

    /// <summary>Problems that make a policy unusable, keyed by the field at fault (for the policy editor and API).</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        if (Promise.MaxDaysAhead < 0 || Promise.MinAmountMinor < 0)
        {
            Add("promise", "Promise limits cannot be negative.");
        }

        if (Plan.MaxMonths < 1 || Plan.MaxMonths > 120)
        {
            Add("plan.maxMonths", "A plan may last 1 to 120 months.");
        }

        if (Plan.MinInstalmentMinor < 0 || Plan.FirstPaymentWithinDays < 0 || Plan.MinDownPaymentBasisPoints is < 0 or > 10_000)
        {
            Add("plan", "Plan limits cannot be negative and a down payment is at most 100%.");
        }

        if (OfferPlan && Plan.Frequencies.Count == 0)
        {
            Add("plan.frequencies", "Offer at least one frequency, or turn plans off.");
        }

        foreach (var band in Settlement.ByDaysPastDue.Concat(Settlement.ByBalanceMinor))
        {
            if (band.MaxDiscountBasisPoints is < 0 or > 10_000 || band.From < 0)
            {
                Add("settlement", "A discount band starts at zero or more and allows 0% to 100%.");
            }
        }

        if (Evaluation.GraceDays < 0 || Evaluation.MissedInstalmentsToDefault < 1)
        {
            Add("evaluation", "Grace days cannot be negative and a plan defaults after at least one missed instalment.");
        }

        foreach (var role in new[] { Roles.Agent, Roles.Supervisor }.Where(r => !Authority.ContainsKey(r)))
        {
            Add($"authority.{role}", $"Set what {(role == Roles.Agent ? "an agent" : "a supervisor")} may agree without approval.");
        }

        foreach (var role in Authority.Keys.Where(r => r is not (Roles.Agent or Roles.Supervisor)))
        {
            Add($"authority.{role}", "Authority is set for agents and supervisors only (admins are bounded by policy alone).");
        }

        foreach (var (role, limits) in Authority)
        {
            if (limits.MaxDiscountBasisPoints is < 0 or > 10_000 || limits.MaxPlanMonths < 0 || limits.FeeWaiverCapMinor < 0)
            {
                Add($"authority.{role}", "Authority limits cannot be negative and a discount is at most 100%.");
            }
        }

        foreach (var (field, message) in Fees.SelectMany(f => f.Problems()))
        {
            Add($"fees.{field}", message);
        }

        if (Fees.Select(f => f.Id).Distinct(StringComparer.Ordinal).Count() != Fees.Count)
        {
            Add("fees.id", "Each fee rule needs its own id.");
        }

        // Days and amounts are bounded like every other input (Plausible): a date a policy moves by, or a sum it adds, cannot overflow.
        var days = new[] { Promise.MaxDaysAhead, Plan.FirstPaymentWithinDays, Settlement.PayWithinDays, Evaluation.GraceDays, Evaluation.MissedInstalmentsToDefault };
        if (days.Any(d => d > Inputs.Plausible.MaxPolicyDays))
        {
            Add("days", $"A number of days (or of missed instalments) is at most {Inputs.Plausible.MaxPolicyDays}.");
        }

        var amounts = new[] { Promise.MinAmountMinor, Plan.MinInstalmentMinor }
            .Concat(Authority.Values.Select(a => a.FeeWaiverCapMinor)).Concat(Settlement.ByDaysPastDue.Concat(Settlement.ByBalanceMinor).Select(b => b.From));
        if (amounts.Any(a => a > Inputs.Plausible.MaxMinor(3)) || Authority.Values.Any(a => a.MaxPlanMonths > 1_200))
        {
            Add("amounts", $"An amount is at most {Inputs.Plausible.MaxMajorUnits} major units, and a plan at most 1200 months.");
        }

        if (AllocationOrder.Count != 3 || AllocationOrder.Distinct().Count() != 3)
        {
            Add("allocationOrder", "Name principal, interest and fees once each.");
        }

        if (EnabledConsequences.Any(c => !Enum.IsDefined(c)) || EnabledConsequences.Distinct().Count() != EnabledConsequences.Count)
        {
            Add("enabledConsequences", "Name each escalation once, from: agency, legal, creditReporting, serviceSuspension, repossession.");
        }

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>A cautious default for a new creditor: promises within 14 days, plans up to 12 months, settlement off.</summary>
    public static CreditorPolicy Default { get; } = new(
        OfferPayInFull: true,
        OfferPromise: true,
        OfferPlan: true,
        new PromiseLimits(MaxDaysAhead: 14, MinAmountMinor: 100),
        new PlanLimits(MaxMonths: 12, MinInstalmentMinor: 2_500, [Frequency.Weekly, Frequency.Fortnightly, Frequency.Monthly], MinDownPaymentBasisPoints: 0, FirstPaymentWithinDays: 30),
        new SettlementRules(Allowed: false, [], [], PayWithinDays: 14),
        new EvaluationRules(GraceDays: 3, MissedInstalmentsToDefault: 2),
        new Dictionary<string, AuthorityLimits>(StringComparer.Ordinal)
        {
            ["agent"] = new(MaxDiscountBasisPoints: 1_000, MaxPlanMonths: 6, FeeWaiverCapMinor: 2_500, MayExtendFirstPayment: false),
            ["supervisor"] = new(MaxDiscountBasisPoints: 3_000, MaxPlanMonths: 12, FeeWaiverCapMinor: 25_000, MayExtendFirstPayment: true),
        });

    /// <summary>The largest settlement discount policy allows for this account, in basis points (0 when settlement is off).</summary>
    public int MaxSettlementDiscount(int daysPastDue, long balanceMinor)
    {
        if (!Settlement.Allowed)
        {
            return 0;
        }

        var byAge = Band(Settlement.ByDaysPastDue, daysPastDue);
        var byBalance = Settlement.ByBalanceMinor.Count == 0 ? byAge : Band(Settlement.ByBalanceMinor, balanceMinor);
        return Math.Min(byAge, byBalance);
    }

    private static int Band(IReadOnlyList<DiscountBand> bands, long value) =>
        bands.Where(b => value >= b.From).Select(b => b.MaxDiscountBasisPoints).DefaultIfEmpty(0).Max();
}
