using Dunwell.Domain.Compliance;
using Dunwell.Web;
using NodaTime;

namespace Dunwell.Features.Compliance;

/// <summary>
/// An instant on the debtor's clock, in the zones the contact rules used: "Mon 2 Mar 2026, 08:00 EST". When the debtor
/// may be in several zones each is written, named, since the rules held the time to every one of them.
/// </summary>
public static class DebtorTime
{
    public static IReadOnlyList<DateTimeZone> Zones(IEnumerable<string> ids) =>
        [.. ids.Select(DateTimeZoneProviders.Tzdb.GetZoneOrNull).OfType<DateTimeZone>()];

    public static string Of(Instant instant, IEnumerable<string> zoneIds) => Of(instant, Zones(zoneIds));

    public static string Of(Instant instant, IReadOnlyList<DateTimeZone> zones) => zones.Count switch
    {
        0 => Display.When(instant, DateTimeZone.Utc),
        1 => Display.When(instant, zones[0]),
        _ => string.Join(" and ", zones.Select(z => $"{Display.When(instant, z)} in {z.Id}")),
    };

    /// <summary>", set by us.reg-f.inconvenient-time": the rules that set a decision's next allowed time, to follow it.</summary>
    public static string SetBy(ContactDecision decision) =>
        decision.DecidingRules.Count > 0 ? $", set by {string.Join(" and ", decision.DecidingRules)}" : "";
}
