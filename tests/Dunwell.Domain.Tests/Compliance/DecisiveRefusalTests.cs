using Dunwell.Domain.Compliance;
using static Dunwell.Domain.Tests.Compliance.Scenario;

namespace Dunwell.Domain.Tests.Compliance;

/// <summary>
/// A refused contact lists every rule that refuses it, each with the instant it would allow from, and marks the rule
/// that sets the next allowed time, even when that rule only refuses later. 5 January 2026 is a Monday.
/// </summary>
public sealed class DecisiveRefusalTests
{
    private static ContactEvent[] OneCallADay(int days) =>
        [.. Enumerable.Range(0, days).Select(d => PlacedCall(At(NewYork, 2026, 1, 5 + d, 10, 0)))];

    [Fact]
    public void Two_rules_refusing_are_both_listed_and_the_later_one_sets_the_next_allowed_time()
    {
        var decision = Us(Call(At(NewYork, 2026, 1, 11, 21, 30), null, OneCallADay(7)));

        var hours = Assert.Single(decision.Refusals, r => r.Reason.RuleId == "us.reg-f.inconvenient-time");
        var cap = Assert.Single(decision.Refusals, r => r.Reason.RuleId == "us.reg-f.call-frequency");
        Assert.Equal(2, decision.Refusals.Count);
        Assert.All(decision.Refusals, r => Assert.True(r.RefusesNow));
        Assert.Equal(At(NewYork, 2026, 1, 12, 0, 0), cap.AllowsFrom); // Monday's call leaves the seven days at midnight
        Assert.Equal(At(NewYork, 2026, 1, 12, 8, 0), hours.AllowsFrom);
        Assert.True(hours.Decisive);
        Assert.False(cap.Decisive);
        Assert.Equal(hours.AllowsFrom, decision.NextAllowedAt);
        Assert.Equal(decision.Reasons, decision.Refusals.Select(r => r.Reason)); // the old list is unchanged
    }

    [Fact]
    public void The_rule_that_sets_the_time_is_named_even_when_it_only_refuses_later()
    {
        var decision = Us(Call(At(NewYork, 2026, 1, 11, 15, 0), null, OneCallADay(7)));

        Assert.Equal(["us.reg-f.call-frequency"], decision.Rules());
        var cap = decision.Refusals[0];
        var hours = Assert.Single(decision.Decisive);
        Assert.False(cap.Decisive);
        Assert.Equal(At(NewYork, 2026, 1, 12, 0, 0), cap.AllowsFrom);
        Assert.Equal("us.reg-f.inconvenient-time", hours.Reason.RuleId);
        Assert.False(hours.RefusesNow);
        Assert.Equal(At(NewYork, 2026, 1, 12, 0, 0), hours.At);
        Assert.Equal(At(NewYork, 2026, 1, 12, 8, 0), hours.AllowsFrom);
        Assert.Equal(hours.AllowsFrom, decision.NextAllowedAt);
    }

    [Fact]
    public void A_refusal_for_good_is_decisive_and_a_timed_one_beside_it_is_not()
    {
        var optedOut = Person(Phone("mobile", NewYorkPhone) with { OptedOutAt = At(NewYork, 2026, 1, 2, 12, 0) });

        var decision = Us(Call(At(NewYork, 2026, 1, 5, 7, 0), optedOut));

        Assert.Null(decision.NextAllowedAt);
        var optOut = Assert.Single(decision.Decisive);
        Assert.Equal("us.reg-f.address-opt-out", optOut.Reason.RuleId);
        Assert.Null(optOut.AllowsFrom);
        Assert.NotNull(optOut.NeverBecause);
        var hours = Assert.Single(decision.Refusals, r => r.Reason.RuleId == "us.reg-f.inconvenient-time");
        Assert.False(hours.Decisive);
        Assert.Equal(At(NewYork, 2026, 1, 5, 8, 0), hours.AllowsFrom);
    }

    [Fact]
    public void An_allowed_contact_has_no_refusals()
    {
        var decision = Us(Call(At(NewYork, 2026, 1, 5, 12, 0)));

        Assert.True(decision.Allowed);
        Assert.Empty(decision.Refusals);
    }
}
