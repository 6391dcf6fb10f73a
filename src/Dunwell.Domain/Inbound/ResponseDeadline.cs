using Dunwell.Domain.Compliance;
using NodaTime;

namespace Dunwell.Domain.Inbound;

/// <summary>
/// How soon a customer's message must be answered: within so many business hours, counted in the creditor's calendar
/// (its time zone, its opening hours, weekends and the pack's holidays off). One business day by default.
/// </summary>
public sealed record ResponseTimes(LocalTime Opens, LocalTime Closes, int WithinBusinessHours)
{
    public static ResponseTimes Default { get; } = new(new LocalTime(9, 0), new LocalTime(17, 0), 8);

    /// <summary>The longest allowed: about a month of business days, so a typo cannot hide a message for a year.</summary>
    public const int MaxBusinessHours = 24 * 23;

    public Duration BusinessDay => Period.Between(Opens, Closes).ToDuration();

    /// <summary>Problems that make the setting unusable, keyed by the field at fault.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (Closes <= Opens)
        {
            errors["responseTimes.closes"] = ["Business hours close after they open, on the same day."];
        }

        if (WithinBusinessHours is < 1 or > MaxBusinessHours)
        {
            errors["responseTimes.withinBusinessHours"] = [$"Answer within 1 to {MaxBusinessHours} business hours."];
        }

        return errors;
    }
}

/// <summary>Which days a creditor's office works: weekdays, less the public holidays of its pack's country.</summary>
public static class BusinessCalendar
{
    /// <summary>
    /// The business-day test for a jurisdiction pack: the US legal public holidays (and the days they are observed on)
    /// for the US pack; weekdays for the others, whose holiday lists Dunwell does not carry yet.
    /// </summary>
    public static Func<LocalDate, bool> For(string jurisdictionPack) => jurisdictionPack switch
    {
        "US-FDCPA" => date => UsCalendar.IsBusinessDay(date, includeObservedDays: true),
        _ => date => date.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday),
    };
}

public static class ResponseDeadline
{
    /// <summary>
    /// The instant a message received at <paramref name="received"/> must be answered by: the business hours it asks
    /// for, counted from the receipt when it came inside business hours, else from the next opening. Never earlier
    /// than the receipt and always inside business hours (the closing minute included).
    /// </summary>
    public static Instant Due(Instant received, DateTimeZone zone, ResponseTimes times, Func<LocalDate, bool> isBusinessDay)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(isBusinessDay);
        if (times.Closes <= times.Opens || times.WithinBusinessHours < 1)
        {
            throw new ArgumentException("Business hours must close after they open, and the time to answer be at least an hour.", nameof(times));
        }

        var local = received.InZone(zone).LocalDateTime;
        var remaining = Duration.FromHours(times.WithinBusinessHours);
        var date = local.Date;
        var time = local.TimeOfDay;
        var days = 0;
        while (true)
        {
            if (!isBusinessDay(date) || time >= times.Closes)
            {
                date = date.PlusDays(1);
                time = times.Opens;
                if (++days > 3_660)
                {
                    throw new InvalidOperationException("No business day in ten years: the calendar is wrong.");
                }

                continue;
            }

            if (time < times.Opens)
            {
                time = times.Opens;
            }

            var left = Period.Between(time, times.Closes).ToDuration();
            if (remaining <= left)
            {
                var due = (date + time.PlusTicks(remaining.BclCompatibleTicks)).InZoneLeniently(zone).ToInstant();
                // A repeated hour at a clock change can map the local time before the receipt: the receipt is then the deadline's floor.
                return due < received ? received : due;
            }

            remaining -= left;
            time = times.Closes; // the rest of the day is used up: on to the next opening
        }
    }

    /// <summary>Where a task stands against its deadline: past it, due within <paramref name="soon"/>, or on time.</summary>
    public static DeadlineState StateAt(Instant due, Instant now, Duration soon) =>
        now > due ? DeadlineState.Breached : due - now <= soon ? DeadlineState.DueSoon : DeadlineState.OnTime;
}

public enum DeadlineState
{
    OnTime,
    DueSoon,
    Breached,
}
