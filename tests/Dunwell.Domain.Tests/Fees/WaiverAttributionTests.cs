using Dunwell.Domain.Fees;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace Dunwell.Domain.Tests.Fees;

public sealed class WaiverAttributionTests
{
    private static readonly LocalDate Day = new(2027, 3, 1);

    [Fact]
    public void Fees_are_taken_off_the_oldest_fee_rule_first_interest_off_interest_rules_and_the_rest_off_charges_no_rule_explains()
    {
        RuleOutstanding[] rules =
        [
            new("collection-fee", IsInterest: false, Day.PlusDays(30), 4_000),
            new("late-fee", IsInterest: false, Day, 2_500),
            new("contract-interest", IsInterest: true, Day.PlusDays(-20), 700),
        ];

        var parts = WaiverAttribution.Split(feesMinor: 8_000, interestMinor: 500, rules);

        Assert.Equal(
            [new WaiverPart("late-fee", 2_500, 0), new WaiverPart("collection-fee", 4_000, 0), new WaiverPart("contract-interest", 0, 500), new WaiverPart(null, 1_500, 0)],
            parts);
    }

    [Property]
    public Property A_waiver_is_split_without_losing_a_minor_unit_and_no_rule_loses_more_than_it_has_outstanding()
    {
        var rule = from name in Gen.Elements("a", "b", "c", "d", "e")
                   from interest in ArbMap.Default.GeneratorFor<bool>()
                   from days in Gen.Choose(0, 400)
                   from outstanding in Gen.Choose(-500, 50_000)
                   select new RuleOutstanding(name, interest, Day.PlusDays(days), outstanding);
        var rules = Gen.ListOf(rule).Select(r => r.DistinctBy(x => x.Rule).ToList());
        var cases = from rs in rules
                    from fees in Gen.Choose(0, 120_000)
                    from interest in Gen.Choose(0, 120_000)
                    select (rs, (long)fees, (long)interest);

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (rs, fees, interest) = c;
            var parts = WaiverAttribution.Split(fees, interest, rs);
            var byRule = rs.ToDictionary(r => r.Rule);
            return parts.Sum(p => p.FeesMinor) == fees
                && parts.Sum(p => p.InterestMinor) == interest
                && parts.All(p => p.FeesMinor >= 0 && p.InterestMinor >= 0)
                && parts.Where(p => p.Rule is not null).All(p =>
                    p.FeesMinor + p.InterestMinor <= byRule[p.Rule!].OutstandingMinor
                    && (byRule[p.Rule!].IsInterest ? p.FeesMinor == 0 : p.InterestMinor == 0))
                // Charges no rule explains take only what the rules could not.
                && (parts.All(p => p.Rule is not null)
                    || parts.Where(p => p.Rule is not null).Sum(p => p.FeesMinor + p.InterestMinor)
                       == Math.Min(fees, rs.Where(r => !r.IsInterest).Sum(r => Math.Max(0, r.OutstandingMinor)))
                       + Math.Min(interest, rs.Where(r => r.IsInterest).Sum(r => Math.Max(0, r.OutstandingMinor))));
        });
    }
}
