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
