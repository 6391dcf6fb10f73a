using Dunwell.Domain.Compliance;
using FsCheck.Xunit;

namespace Dunwell.Domain.Tests.Compliance;

/// <summary>The refusals explain the time the decision names, over random cases (see <see cref="RandomCase"/>).</summary>
public sealed class DecisiveRefusalProperties
{
    [Property(MaxTest = 500)]
    public void The_next_allowed_time_always_comes_with_the_rule_that_sets_it(int seed)
    {
        var (request, pack, firm) = RandomCase.From(seed);

        var decision = ComplianceEngine.Decide(request, pack, firm);

        Assert.Equal(decision.Reasons, decision.Refusals.Where(r => r.RefusesNow).Select(r => r.Reason));
        Assert.All(decision.Refusals.Where(r => !r.RefusesNow), r => Assert.True(r.Decisive && r.At > request.At));
        if (decision.NextAllowedAt is { } next)
        {
            Assert.NotEmpty(decision.Decisive);
            Assert.All(decision.Decisive, r => Assert.Equal(next, r.AllowsFrom));
            Assert.All(decision.Refusals, r => Assert.True(r.AllowsFrom is { } from && from <= next, $"{r.Reason.RuleId} allows from {r.AllowsFrom}, after {next}."));
        }
        else if (!decision.Allowed && decision.Decisive.Any())
        {
            Assert.All(decision.Decisive, r => Assert.Null(r.AllowsFrom));
        }
    }
}
