using NodaTime;

namespace Dunwell.Domain.Fees;

/// <summary>What is still on the ledger under one charge rule: posted under it, less what earlier waivers took off it.</summary>
public sealed record RuleOutstanding(string Rule, bool IsInterest, LocalDate FirstPosted, long OutstandingMinor);

/// <summary>One part of a waiver: the rule it takes off (null for charges no rule explains, such as fees placed with the debt).</summary>
public sealed record WaiverPart(string? Rule, long FeesMinor, long InterestMinor);

/// <summary>
/// Says which rule's charges a waiver takes off, so that a later recalculation of a rule (a backdated payment, a day
/// found blocked) does not hand back again what was already waived. Fees are waived before interest, as the customer is
/// told; within each, the oldest rule first; what no rule explains takes the rest. Payments are not attributed to rules,
/// so a rule is taken to be owed in full until waived: the waiver is then attributed to rules as far as it can be.
/// </summary>
public static class WaiverAttribution
{
    public static IReadOnlyList<WaiverPart> Split(long feesMinor, long interestMinor, IEnumerable<RuleOutstanding> rules)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(feesMinor);
        ArgumentOutOfRangeException.ThrowIfNegative(interestMinor);
        var ordered = rules.Where(r => r.OutstandingMinor > 0).OrderBy(r => r.FirstPosted).ThenBy(r => r.Rule, StringComparer.Ordinal).ToList();
        var parts = new List<WaiverPart>();
        var fees = Take(feesMinor, ordered.Where(r => !r.IsInterest), parts, interest: false);
        var interest = Take(interestMinor, ordered.Where(r => r.IsInterest), parts, interest: true);
        if (fees + interest > 0)
        {
            parts.Add(new WaiverPart(null, fees, interest));
        }

        return parts;
    }

    /// <summary>Attributes <paramref name="amount"/> to the rules in order; returns what is left over.</summary>
    private static long Take(long amount, IEnumerable<RuleOutstanding> rules, List<WaiverPart> parts, bool interest)
    {
        foreach (var rule in rules)
        {
            if (amount == 0)
            {
                break;
            }

            var part = Math.Min(amount, rule.OutstandingMinor);
            parts.Add(interest ? new WaiverPart(rule.Rule, 0, part) : new WaiverPart(rule.Rule, part, 0));
            amount -= part;
        }

        return amount;
    }
}
