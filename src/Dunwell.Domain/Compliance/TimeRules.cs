using System.Globalization;
using NodaTime;

namespace Dunwell.Domain.Compliance;

/// <summary>The time-of-day rules shared by the packs and the firm policy: an allowed window, and times the debtor called inconvenient.</summary>
internal static class TimeRules
{
    /// <summary>
    /// Refuses outside <paramref name="window"/> in any zone the debtor may be in. Letters are posted, not received at a
    /// chosen time, so they are not held to hours. Consent to an otherwise inconvenient time lifts the rule while it lasts.
    /// </summary>
    public static void Window(Evaluation e, Instant at, Findings f, ContactWindow window, string rule, string citation, string source, bool consentLifts)
    {
        if (e.Channel == ContactChannel.Letter || (consentLifts && HasTimeConsent(e, at)))
        {
            return;
        }

        var outside = e.Zones.Where(z => !window.Contains(at.InZone(z).TimeOfDay)).ToList();
        if (outside.Count == 0)
        {
            return;
        }

        var next = LocalTimeSearch.EarliestClear(
            at,
            e.Zones,
            local => !window.Contains(local.TimeOfDay),
            local => local.TimeOfDay < window.Opens ? local.Date.At(window.Opens) : local.Date.PlusDays(1).At(window.Opens));
        if (consentLifts)
        {
            next = Earliest(next, NextTimeConsent(e, at));
        }

        var closing = window.ClosingInstantAllowed ? "" : string.Create(CultureInfo.InvariantCulture, $", not at {Evaluation.Clock(window.Closes)} itself");
        var message = string.Create(CultureInfo.InvariantCulture,
            $"It is {Evaluation.LocalTimes(at, outside)}. {source} allows contact between {Evaluation.Clock(window.Opens)} and {Evaluation.Clock(window.Closes)}{closing}, in the debtor's local time.{Everywhere(e)}");
        f.Block(rule, citation, message, next,
            $"No time of day is within {window} in every zone the debtor may be in ({e.ZoneList}); confirm where the debtor is.");
    }

    /// <summary>
    /// Refuses inside a time the debtor called inconvenient. The debtor's consent to the time lifts it, and so does a
    /// single reply through the medium they used when they themselves contacted the collector at such a time.
    /// </summary>
    public static void DesignatedTimes(Evaluation e, Instant at, Findings f, string rule, string citation, bool consentLifts)
    {
        var times = e.Request.Debtor.InconvenientTimes;
        if (times.Count == 0 || e.Channel == ContactChannel.Letter || e.IsOneReplyTo(at) || (consentLifts && HasTimeConsent(e, at)))
        {
            return;
        }

        var hitZones = e.Zones.Where(z => Blocking(times, at.InZone(z).LocalDateTime).Any()).ToList();
        if (hitZones.Count == 0)
        {
            return;
        }

        var next = LocalTimeSearch.EarliestClear(
            at,
            e.Zones,
            local => Blocking(times, local).Any(),
            local => Blocking(times, local).Max(t => LocalTimeSearch.EndOfRange(local, t.From, t.Until)));
        if (consentLifts)
        {
            next = Earliest(next, NextTimeConsent(e, at));
        }

        var local = at.InZone(hitZones[0]).LocalDateTime;
        var which = Blocking(times, local).First();
        var range = which.IsWholeDay
            ? $"the whole of {local.DayOfWeek}"
            : which.From == which.Until
                ? $"the 24 hours from {Evaluation.Clock(which.From)}"
                : $"{Evaluation.Clock(which.From)} to {Evaluation.Clock(which.Until)}";
        var message = string.Create(CultureInfo.InvariantCulture,
            $"The debtor said {range} is inconvenient for them, and it is {Evaluation.LocalTimes(at, hitZones)}.{Everywhere(e)}");
        f.Block(rule, citation, message, next,
            "The debtor's inconvenient times leave no time free; ask the debtor when they can be reached.");
    }

    private static string Everywhere(Evaluation e) =>
        (e.Zones.Count > 1 ? $" The debtor may be in {e.ZoneList}; the time must suit each of them." : "")
        + string.Concat(e.LocationNotes.Select(n => " " + n));

    /// <summary>
    /// The times blocking a local moment. A range's days are the days it starts on, so the hours after midnight of
    /// "Saturdays 22:00 to 02:00" fall on Sunday morning; "Saturdays 00:00 to 00:00" is Saturday and no more.
    /// </summary>
    private static IEnumerable<InconvenientTime> Blocking(IReadOnlyList<InconvenientTime> times, LocalDateTime local) =>
        times.Where(t => LocalTimeSearch.InRange(local.TimeOfDay, t.From, t.Until)
            && (t.Days.Count == 0 || t.Days.Contains(t.PastMidnight && local.TimeOfDay < t.Until ? local.Date.PlusDays(-1).DayOfWeek : local.DayOfWeek)));

    private static bool HasTimeConsent(Evaluation e, Instant at) =>
        e.Request.Debtor.Consents.Any(c => c.Scope == ConsentScope.InconvenientTime && e.Touches(c.Accounts) && c.From <= at && (c.Until is null || at < c.Until));

    private static Instant? NextTimeConsent(Evaluation e, Instant at) =>
        e.Request.Debtor.Consents
            .Where(c => c.Scope == ConsentScope.InconvenientTime && e.Touches(c.Accounts) && c.From > at)
            .Select(c => (Instant?)c.From)
            .Min();

    public static Instant? Earliest(Instant? a, Instant? b) =>
        a is null ? b : b is null ? a : Instant.Min(a.Value, b.Value);
}
