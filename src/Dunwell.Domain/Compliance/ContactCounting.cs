using NodaTime;

namespace Dunwell.Domain.Compliance;

/// <summary>
/// Counting contacts over "N consecutive days" in the debtor's local calendar (a day is 23 or 25 hours across DST).
/// When the debtor may be in several zones, a contact counts if it is inside the window in any of them: the cautious
/// reading, since each zone would be the consumer's calendar if they were there.
/// </summary>
internal static class ContactCounting
{
    /// <summary>
    /// If <paramref name="max"/> or more of <paramref name="events"/> (oldest first, all before <paramref name="at"/>)
    /// fall in the <paramref name="days"/> local days ending on the date of <paramref name="at"/> in <paramref name="zone"/>,
    /// the start of the day on which enough of them have left the window for one more; otherwise null.
    /// </summary>
    public static Instant? CapReachedUntil(IReadOnlyList<Instant> events, Instant at, DateTimeZone zone, int max, int days)
    {
        var first = at.InZone(zone).Date.PlusDays(-(days - 1));
        var inWindow = events.Where(e => e < at && e.InZone(zone).Date >= first).ToList();
        if (inWindow.Count < max)
        {
            return null;
        }

        // One more is allowed once the oldest (count - max + 1) have left, i.e. from the day the last of those leaves.
        var leaving = inWindow[inWindow.Count - max];
        return LocalTimeSearch.StartOfDay(leaving.InZone(zone).Date.PlusDays(days), zone);
    }

    /// <summary>
    /// If the date of <paramref name="at"/> is within <paramref name="days"/> local days of the latest of
    /// <paramref name="marks"/> (that day counting as day 1), the start of the day after the period; otherwise null.
    /// </summary>
    public static Instant? PeriodAfterUntil(IEnumerable<Instant> marks, Instant at, DateTimeZone zone, int days)
    {
        var latest = marks.Where(m => m < at).Select(m => (Instant?)m).Max();
        if (latest is not { } mark)
        {
            return null;
        }

        var end = mark.InZone(zone).Date.PlusDays(days);
        return at.InZone(zone).Date < end ? LocalTimeSearch.StartOfDay(end, zone) : null;
    }

    /// <summary>Whether <paramref name="at"/> is on one of the <paramref name="days"/> local days starting on the date of <paramref name="from"/>.</summary>
    public static bool WithinDays(Instant from, Instant at, DateTimeZone zone, int days) =>
        at >= from && at.InZone(zone).Date < from.InZone(zone).Date.PlusDays(days);
}
