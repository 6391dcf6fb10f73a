using Dunwell.Domain.Amounts;
using Dunwell.Domain.Fees;
using FsCheck.Xunit;
using NodaTime;

namespace Dunwell.Domain.Tests.Fees;

public sealed class FeeAccrualTests
{
    private static readonly Money Principal = new(365_000, Currency.Of("GBP"));
    private static readonly LocalDate Due = new(2027, 1, 31);
    private static readonly FeeRule[] Rules =
    [
        new FeeRule.FixedLateFee("late-fee", 30, 2_500),
        new FeeRule.PercentageFee("collection-fee", 60, 500, 10_000),
        new FeeRule.DailySimpleInterest("contract-interest", 1_000, 50_000),
    ];

    [Fact]
    public void Each_charge_is_itemised_with_its_rule_period_rate_and_base()
    {
        var charges = FeeAccrual.Compute(Rules, Principal, Due, new LocalDate(2027, 4, 1), []);

        Assert.Equal(["late-fee", "collection-fee", "contract-interest"], charges.Select(c => c.Rule));
        Assert.Equal(2_500, charges[0].AmountMinor);
        Assert.Equal(10_000, charges[1].AmountMinor); // 5% of 3,650.00 is 182.50, capped at 100.00
        var interest = charges[2];
        Assert.Equal((new LocalDate(2027, 2, 1), new LocalDate(2027, 4, 1)), (interest.From, interest.Through));
        Assert.Equal(6_000, interest.AmountMinor); // 3,650.00 × 10% × 60 / 365 (1 February to 1 April, both included)
        Assert.Contains("60 days", interest.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_accrues_inside_a_breathing_space()
    {
        BlockedPeriod[] breathingSpace = [new(new LocalDate(2027, 2, 15), new LocalDate(2027, 4, 15), "breathing space")];

        var charges = FeeAccrual.Compute(Rules, Principal, Due, new LocalDate(2027, 4, 30), breathingSpace);

        Assert.DoesNotContain(charges, c => c.Rule is "late-fee" or "collection-fee");
        Assert.Equal(
            [(new LocalDate(2027, 2, 1), new LocalDate(2027, 2, 14)), (new LocalDate(2027, 4, 16), new LocalDate(2027, 4, 30))],
            charges.Where(c => c.Rule == "contract-interest").Select(c => (c.From, c.Through)));
    }

    [Property]
    public bool Accrual_never_exceeds_a_cap_and_grows_with_time(FsCheck.NonNegativeInt days, FsCheck.NonNegativeInt more)
    {
        var asOf = Due.PlusDays(days.Get % 2000);
        var later = asOf.PlusDays(more.Get % 500);

        var now = FeeAccrual.Compute(Rules, Principal, Due, asOf, []);
        var then = FeeAccrual.Compute(Rules, Principal, Due, later, []);

        return now.Where(c => c.Rule == "contract-interest").Sum(c => c.AmountMinor) <= 50_000
            && now.Sum(c => c.AmountMinor) <= then.Sum(c => c.AmountMinor);
    }

    [Fact]
    public void A_part_payment_lowers_the_base_of_interest_from_its_value_date()
    {
        PrincipalFrom[] history = [new(Due.PlusDays(-30), 365_000), new(new LocalDate(2027, 3, 1), 182_500)];

        var charges = FeeAccrual.Compute(Rules.OfType<FeeRule.DailySimpleInterest>(), Principal.Currency, history, Due, new LocalDate(2027, 3, 10), []);

        Assert.Equal(
            [(new LocalDate(2027, 2, 1), new LocalDate(2027, 2, 28), 365_000L, 2_800L), (new LocalDate(2027, 3, 1), new LocalDate(2027, 3, 10), 182_500L, 500L)],
            charges.Select(c => (c.From, c.Through, c.BaseMinor, c.AmountMinor)));
    }

    [Fact]
    public void No_fee_is_charged_on_a_day_nothing_is_owed()
    {
        PrincipalFrom[] paidBeforeTheFee = [new(Due.PlusDays(-30), 365_000), new(Due.PlusDays(10), 0)];

        var charges = FeeAccrual.Compute(Rules, Principal.Currency, paidBeforeTheFee, Due, new LocalDate(2027, 6, 1), []);

        Assert.Equal(["contract-interest"], charges.Select(c => c.Rule));
        Assert.Equal((Due.PlusDays(1), Due.PlusDays(9)), (charges[0].From, charges[0].Through));
    }

    [Property]
    public bool A_lower_principal_never_costs_more(FsCheck.NonNegativeInt days, FsCheck.NonNegativeInt paidOnDay, FsCheck.NonNegativeInt paid)
    {
        var asOf = Due.PlusDays(days.Get % 1000);
        var paidOn = Due.PlusDays(paidOnDay.Get % 1000);
        PrincipalFrom[] unpaid = [new(Due, Principal.Minor)];
        PrincipalFrom[] partPaid = [new(Due, Principal.Minor), new(paidOn, Principal.Minor - (paid.Get % Principal.Minor))];

        var full = FeeAccrual.Compute(Rules, Principal.Currency, unpaid, Due, asOf, []).Sum(c => c.AmountMinor);
        var less = FeeAccrual.Compute(Rules, Principal.Currency, partPaid, Due, asOf, []).Sum(c => c.AmountMinor);

        return less <= full;
    }

    [Fact]
    public void Terms_apply_only_while_in_force_a_raised_rate_does_not_reach_back_and_a_removed_rule_keeps_what_it_charged()
    {
        var tenPercent = new FeeRuleSpec("interest", FeeRuleKind.DailySimpleInterest, BasisPoints: 1_000) { From = Due };
        var twentyPercent = new FeeRuleSpec("interest", FeeRuleKind.DailySimpleInterest, BasisPoints: 2_000);
        var lateFee = new FeeRuleSpec("late-fee", FeeRuleKind.FixedLateFee, AfterDaysPastDue: 30, AmountMinor: 2_500);
        var periods = FeeTerms.Periods(
        [
            ([tenPercent], new LocalDate(2027, 2, 10)),
            ([twentyPercent, lateFee], new LocalDate(2027, 3, 1)), // late fee's 30th day (2 March) falls after it is added
            ([], new LocalDate(2027, 4, 1)),
        ]);
        PrincipalFrom[] history = [new(Due, 365_000)];

        var charges = FeeTerms.Compute(periods, Principal.Currency, history, Due, new LocalDate(2027, 6, 30), []);

        Assert.Equal(
            [("interest", new LocalDate(2027, 2, 1), new LocalDate(2027, 2, 28), 1_000), ("interest", new LocalDate(2027, 3, 1), new LocalDate(2027, 3, 31), 2_000),
             ("late-fee", new LocalDate(2027, 3, 2), new LocalDate(2027, 3, 2), 0)],
            charges.Select(c => (c.Rule, c.From, c.Through, c.RateBasisPoints ?? 0)).OrderBy(c => c.From).ThenBy(c => c.Rule));
    }

    [Property]
    public bool Saving_the_same_terms_again_changes_no_charge(FsCheck.NonNegativeInt days, FsCheck.NonNegativeInt savedAfter)
    {
        var asOf = Due.PlusDays(days.Get % 800);
        var saved = Due.PlusDays(-30);
        var resaved = saved.PlusDays(1 + (savedAfter.Get % 700));
        FeeRuleSpec[] specs = [.. Rules.Select(r => r switch
        {
            FeeRule.FixedLateFee f => new FeeRuleSpec(f.Id, FeeRuleKind.FixedLateFee, f.AfterDaysPastDue, f.AmountMinor),
            FeeRule.PercentageFee p => new FeeRuleSpec(p.Id, FeeRuleKind.PercentageFee, p.AfterDaysPastDue, BasisPoints: p.BasisPoints, CapMinor: p.CapMinor),
            FeeRule.DailySimpleInterest i => new FeeRuleSpec(i.Id, FeeRuleKind.DailySimpleInterest, BasisPoints: i.AnnualBasisPoints, CapMinor: i.CapMinor),
            _ => throw new InvalidOperationException(),
        })];
        PrincipalFrom[] history = [new(Due, Principal.Minor)];

        var once = FeeTerms.Compute(FeeTerms.Periods([(specs, saved)]), Principal.Currency, history, Due, asOf, []).Sum(c => c.AmountMinor);
        var twice = FeeTerms.Compute(FeeTerms.Periods([(specs, saved), (specs, resaved)]), Principal.Currency, history, Due, asOf, []).Sum(c => c.AmountMinor);

        return once == twice;
    }
}
