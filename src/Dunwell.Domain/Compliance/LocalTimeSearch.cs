using NodaTime;

namespace Dunwell.Domain.Compliance;

/// <summary>
/// Finding the first instant at which a local-time condition holds in every zone the debtor may be in. Everything goes
/// through NodaTime's zone rules, so DST gaps and overlaps (including ones at midnight) resolve correctly.
/// </summary>
internal static class LocalTimeSearch
{
    private static readonly Duration Horizon = Duration.FromDays(370);

    /// <summary>
    /// The first instant at or after <paramref name="notBefore"/> whose local date and time in <paramref name="zone"/>
    /// is at or after <paramref name="local"/>: a time skipped by a gap resolves to the end of the gap; a time that
    /// occurs twice resolves to the first occurrence not before <paramref name="notBefore"/>.
    /// </summary>
    public static Instant AtOrAfter(LocalDateTime local, DateTimeZone zone, Instant notBefore)
    {
        var mapping = zone.MapLocal(local);
        return mapping.Count switch
        {
            0 => mapping.LateInterval.Start,
            1 => mapping.Single().ToInstant(),
            _ => mapping.First().ToInstant() >= notBefore ? mapping.First().ToInstant() : mapping.Last().ToInstant(),
        };
    }

    /// <summary>The first instant of <paramref name="date"/> in <paramref name="zone"/> (not always midnight).</summary>
    public static Instant StartOfDay(LocalDate date, DateTimeZone zone) => zone.AtStartOfDay(date).ToInstant();

    /// <summary>
    /// The earliest instant at or after <paramref name="from"/> at which <paramref name="blocked"/> is false in every
    /// zone, or null when there is none within a year (the zones never agree).
    /// <paramref name="clearFrom"/> gives, for a blocked local date-time, a later local date-time before which the
    /// condition certainly stays blocked; it only has to be a lower bound, the search checks again.
    /// </summary>
    public static Instant? EarliestClear(
        Instant from,
        IReadOnlyList<DateTimeZone> zones,
        Func<LocalDateTime, bool> blocked,
        Func<LocalDateTime, LocalDateTime> clearFrom)
    {
        var candidate = from;
        for (var i = 0; i < 2_000 && candidate - from <= Horizon; i++)
        {
            var next = candidate;
            foreach (var zone in zones)
            {
                var clear = ClearInZone(candidate, zone, blocked, clearFrom);
                if (clear > next)
                {
                    next = clear;
                }
            }

            if (next == candidate)
            {
                return candidate;
            }

            candidate = next;
        }

        return null;
    }

    private static Instant ClearInZone(Instant from, DateTimeZone zone, Func<LocalDateTime, bool> blocked, Func<LocalDateTime, LocalDateTime> clearFrom)
    {
        var at = from;
        for (var i = 0; i < 16; i++)
        {
            var local = at.InZone(zone).LocalDateTime;
            if (!blocked(local))
            {
                return at;
            }

            var target = clearFrom(local);
            var next = AtOrAfter(target, zone, at);
            if (next <= at)
            {
                // Not expected with real zone rules; move on a minute rather than loop, which only errs late.
                next = at + Duration.FromMinutes(1);
            }

            at = next;
        }

        // Still blocked after many steps: what we have is a lower bound, and the caller searches on from it.
        return at;
    }

    /// <summary>
    /// Whether a local time falls in a range whose end is excluded. A range ending before it starts runs past midnight;
    /// one ending where it starts is a whole 24 hours (00:00 to 00:00: the whole day), so every time falls in it.
    /// </summary>
    public static bool InRange(LocalTime time, LocalTime from, LocalTime until) =>
        from < until ? time >= from && time < until : time >= from || time < until;

    /// <summary>For a local date-time inside a range, the local date-time at which the range ends.</summary>
    public static LocalDateTime EndOfRange(LocalDateTime local, LocalTime from, LocalTime until) =>
        from < until || local.TimeOfDay < until
            ? local.Date.At(until)
            : local.Date.PlusDays(1).At(until);
}
