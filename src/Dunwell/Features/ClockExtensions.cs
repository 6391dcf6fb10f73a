using NodaTime;
using NodaTime.Extensions;

namespace Dunwell.Features;

internal static class ClockExtensions
{
    /// <summary>Now, cut to whole microseconds: what PostgreSQL keeps, so a saved instant reads back equal.</summary>
    public static Instant Now(this TimeProvider clock) =>
        Instant.FromUnixTimeTicks(clock.GetCurrentInstant().ToUnixTimeTicks() / 10 * 10);

    /// <summary>Today in a creditor's zone (days past due are counted in the creditor's calendar).</summary>
    public static LocalDate Today(this TimeProvider clock, DateTimeZone zone) => clock.Now().InZone(zone).Date;
}
