using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using FsCheck.Xunit;
using NodaTime;

namespace Dunwell.Domain.Tests.Compliance;

/// <summary>
/// The next-allowed invariant for UK consumers in particular: random cases from <see cref="RandomCase"/> put under the
/// UK pack, with random times the customer asked to avoid (some on chosen weekdays, some running past midnight) and
/// instants often near the London clock changes.
/// </summary>
public sealed class UkComplianceProperties
{
    // BST starts and ends at 01:00 UTC on these days in 2026.
    private static readonly Instant[] ClockChanges = [Instant.FromUtc(2026, 3, 29, 1, 0), Instant.FromUtc(2026, 10, 25, 1, 0)];

    // Just under seven days, so that successive samples walk through the hours of the day and the days of the week.
    private static readonly Duration Sample = Duration.FromMinutes(10_037);

    [Property(MaxTest = 1000)]
    public void For_a_UK_customer_the_next_allowed_instant_is_itself_allowed_nothing_before_it_is_and_none_means_none_within_a_year(int seed)
    {
        var (request, pack, firm) = UkCase(seed);

        var decision = ComplianceEngine.Decide(request, pack, firm);

        if (decision.Allowed)
        {
            return;
        }

        if (decision.NextAllowedAt is not { } next)
        {
            // No next time: then no instant within the search horizon is allowed either.
            for (var at = request.At + Sample; at - request.At <= ComplianceEngine.Horizon; at += Sample)
            {
                Assert.False(ComplianceEngine.IsAllowed(request with { At = at }, pack, firm), $"No next allowed instant was given ({decision.NoNextAllowedBecause}), yet {at} is allowed.");
            }

            return;
        }

        Assert.True(next > request.At);
        Assert.True(ComplianceEngine.IsAllowed(request with { At = next }, pack, firm), $"{next} was given as the next allowed instant but is refused.");
        Assert.False(ComplianceEngine.IsAllowed(request with { At = next - Duration.FromSeconds(1) }, pack, firm), $"{next - Duration.FromSeconds(1)} is allowed, before {next}.");

        var span = next - request.At;
        var step = Duration.Max(Duration.FromMinutes(1), span / 600);
        for (var at = request.At + step; at < next; at += step)
        {
            Assert.False(ComplianceEngine.IsAllowed(request with { At = at }, pack, firm), $"{at} is allowed, before the next allowed instant {next}.");
        }
    }

    /// <summary>
    /// A random case under the UK pack with consumer accounts. The instant may be moved near a clock change, and the
    /// history moves with it. Half the time the customer has no flags, holds or opt-outs, so the time rules decide
    /// rather than a refusal with no end.
    /// </summary>
    internal static (ContactRequest Request, UkFcaPack Pack, FirmPolicy? Firm) UkCase(int seed)
    {
        var random = new Random(unchecked((seed * 397) ^ 0x2F1A));
        var (request, _, _) = RandomCase.From(seed);
        var pack = RulePacks.Default.Uk;
        var at = random.NextDouble() < 0.4
            ? ClockChanges[random.Next(ClockChanges.Length)] + Duration.FromSeconds(random.NextInt64(-3L * 24 * 3600, 3L * 24 * 3600))
            : request.At;

        var debtor = request.Debtor with
        {
            Kind = DebtorKind.Person,
            LocationTimeZone = random.NextDouble() < 0.7 ? null : request.Debtor.LocationTimeZone ?? "Europe/London",
            InconvenientTimes = [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => RandomTime(random))],
        };
        if (random.NextDouble() < 0.5)
        {
            debtor = debtor with
            {
                Flags = [],
                BreathingSpaces = [],
                MediumOptOuts = [],
                Contacts = [.. debtor.Contacts.Select(c => c with { OptedOutAt = null, InconvenientPlace = false, EmployerProhibits = false })],
            };
        }

        var shift = at - request.At;
        var uk = request with
        {
            At = at,
            Debtor = debtor,
            History = [.. request.History.Select(h => h with { At = h.At + shift })],
            Accounts = [.. request.Accounts.Select(a => a with { Kind = AccountKind.Consumer, Disputes = random.NextDouble() < 0.5 ? [] : a.Disputes })],
            InResponseTo = request.InResponseTo is null ? null : at - Duration.FromMinutes(random.Next(0, 300)),
        };
        return (uk, pack, random.NextDouble() < 0.4 ? RandomCase.RandomFirm(random, pack) : null);
    }

    private static InconvenientTime RandomTime(Random random)
    {
        var from = new LocalTime(random.Next(24), random.Next(60));
        var until = new LocalTime(random.Next(24), random.Next(60));
        var days = random.NextDouble() < 0.4
            ? Enumerable.Range(0, random.Next(1, 4)).Select(_ => (IsoDayOfWeek)random.Next(1, 8)).ToHashSet()
            : [];
        return new InconvenientTime(from, until) { Days = days };
    }
}
