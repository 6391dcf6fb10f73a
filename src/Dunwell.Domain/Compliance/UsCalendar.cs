using NodaTime;

namespace Dunwell.Domain.Compliance;

/// <summary>
/// US business days for Regulation F's receipt assumption: Saturdays, Sundays and the legal public holidays of
/// 5 U.S.C. 6103(a) are not business days. When a holiday falls on a weekend, federal offices close on the Friday
/// before or the Monday after (6103(b)); whether that day also counts as a holiday is a pack choice.
/// </summary>
public static class UsCalendar
{
    public static bool IsLegalPublicHoliday(LocalDate date, bool includeObservedDays)
    {
        if (HolidaysOf(date.Year).Contains(date))
        {
            return true;
        }

        // New Year's Day of next year observed on 31 December.
        return includeObservedDays
            && (ObservedDaysOf(date.Year).Contains(date) || ObservedDaysOf(date.Year + 1).Contains(date));
    }

    public static bool IsBusinessDay(LocalDate date, bool includeObservedDays) =>
        date.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday) && !IsLegalPublicHoliday(date, includeObservedDays);

    /// <summary>The date <paramref name="days"/> business days after <paramref name="from"/> (the start day itself not counted).</summary>
    public static LocalDate AddBusinessDays(LocalDate from, int days, bool includeObservedDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var date = from;
        var counted = 0;
        while (counted < days)
        {
            date = date.PlusDays(1);
            if (IsBusinessDay(date, includeObservedDays))
            {
                counted++;
            }
        }

        return date;
    }

    /// <summary>The legal public holidays of 5 U.S.C. 6103(a) in a year, on their legal dates.</summary>
    public static IReadOnlyList<LocalDate> HolidaysOf(int year) =>
    [
        new LocalDate(year, 1, 1),                         // New Year's Day
        Nth(year, 1, IsoDayOfWeek.Monday, 3),              // Birthday of Martin Luther King, Jr.
        Nth(year, 2, IsoDayOfWeek.Monday, 3),              // Washington's Birthday
        Last(year, 5, IsoDayOfWeek.Monday),                // Memorial Day
        new LocalDate(year, 6, 19),                        // Juneteenth National Independence Day
        new LocalDate(year, 7, 4),                         // Independence Day
        Nth(year, 9, IsoDayOfWeek.Monday, 1),              // Labor Day
        Nth(year, 10, IsoDayOfWeek.Monday, 2),             // Columbus Day
        new LocalDate(year, 11, 11),                       // Veterans Day
        Nth(year, 11, IsoDayOfWeek.Thursday, 4),           // Thanksgiving Day
        new LocalDate(year, 12, 25),                       // Christmas Day
    ];

    private static IEnumerable<LocalDate> ObservedDaysOf(int year) =>
        HolidaysOf(year).Select(d => d.DayOfWeek switch
        {
            IsoDayOfWeek.Saturday => d.PlusDays(-1),
            IsoDayOfWeek.Sunday => d.PlusDays(1),
            _ => d,
        });

    private static LocalDate Nth(int year, int month, IsoDayOfWeek day, int n) =>
        new LocalDate(year, month, 1).PlusDays(-1).Next(day).PlusWeeks(n - 1);

    private static LocalDate Last(int year, int month, IsoDayOfWeek day) =>
        new LocalDate(year, month, 1).PlusMonths(1).Previous(day);
}
