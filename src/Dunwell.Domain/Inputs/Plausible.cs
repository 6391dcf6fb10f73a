using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Dunwell.Domain.Inputs;

/// <summary>
/// The one place where amounts, dates and instants that come from outside (API bodies and query strings, files, form
/// posts) are judged plausible. Anything outside these limits is refused where it enters, so every stored value and every
/// sum of them stays far inside what <see cref="long"/> and the calendar can hold, and no later arithmetic can overflow.
/// </summary>
public static class Plausible
{
    /// <summary>The largest amount accepted, in major units, for any one amount and for an account's total: 10^12.</summary>
    public const long MaxMajorUnits = 1_000_000_000_000;

    /// <summary>The most days a policy may count (a promise ahead, a fee after the due date): 100 years.</summary>
    public const int MaxPolicyDays = 36_500;

    /// <summary>The highest rate a policy may set, in basis points: 1000% a year.</summary>
    public const int MaxBasisPoints = 100_000;

    /// <summary>The earliest date accepted: 1900-01-01.</summary>
    public static LocalDate FirstDate { get; } = new(1900, 1, 1);

    /// <summary>The latest date accepted: 2199-12-31.</summary>
    public static LocalDate LastDate { get; } = new(2199, 12, 31);

    /// <summary>The first instant accepted: the start of <see cref="FirstDate"/> in UTC.</summary>
    public static Instant FirstInstant { get; } = Instant.FromUtc(1900, 1, 1, 0, 0);

    /// <summary>The first instant refused: the end of <see cref="LastDate"/> in UTC.</summary>
    public static Instant EndInstant { get; } = Instant.FromUtc(2200, 1, 1, 0, 0);

    /// <summary>
    /// The largest amount in minor units for a currency with <paramref name="exponent"/> digits: at most 10^15 (three digits),
    /// so three components and thousands of ledger lines add up without coming near <see cref="long.MaxValue"/>.
    /// </summary>
    public static long MaxMinor(int exponent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(exponent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(exponent, 4);
        var max = MaxMajorUnits;
        for (var i = 0; i < exponent; i++)
        {
            max *= 10;
        }

        return max;
    }

    /// <summary>Null when <paramref name="minor"/> is within the maximum either way, otherwise why not.</summary>
    public static string? AmountProblem(long minor, int exponent) =>
        minor > MaxMinor(exponent) || minor < -MaxMinor(exponent)
            ? string.Create(CultureInfo.InvariantCulture, $"is more than the maximum of {MaxMajorUnits} (10^12) major units")
            : null;

    /// <summary>Null when the date is in the window, otherwise why not.</summary>
    public static string? DateProblem(LocalDate date) =>
        date < FirstDate || date > LastDate ? $"is outside the dates Dunwell accepts ({Iso(FirstDate)} to {Iso(LastDate)})" : null;

    /// <summary>Null when the instant is in the window, otherwise why not.</summary>
    public static string? InstantProblem(Instant instant) =>
        instant < FirstInstant || instant >= EndInstant ? $"is outside the times Dunwell accepts ({Iso(FirstDate)} to {Iso(LastDate)}, UTC)" : null;

    /// <summary>A date written yyyy-MM-dd, inside the window. The error completes a sentence that starts with the value.</summary>
    public static bool TryParseDate(string? text, out LocalDate date, out string? error)
    {
        date = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty; give a date like 2026-03-31";
            return false;
        }

        var parsed = LocalDatePattern.Iso.Parse(text.Trim());
        if (!parsed.Success)
        {
            error = "is not a date like 2026-03-31";
            return false;
        }

        error = DateProblem(parsed.Value);
        date = parsed.Value;
        return error is null;
    }

    /// <summary>
    /// An instant in ISO-8601 with <c>Z</c> or an offset (2026-03-02T09:30:00Z, 2026-03-02T09:30:00.5+01:00), inside the
    /// window. A local date and time without an offset is refused: it does not say which moment it means.
    /// </summary>
    public static bool TryParseInstant(string? text, out OffsetDateTime value, out string? error)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty; give an instant like 2026-03-02T09:30:00Z";
            return false;
        }

        text = text.Trim();
        foreach (var pattern in InstantPatterns)
        {
            if (pattern.Parse(text) is { Success: true } parsed)
            {
                error = InstantProblem(parsed.Value.ToInstant());
                value = parsed.Value;
                return error is null;
            }
        }

        error = LocalDateTimePattern.ExtendedIso.Parse(text).Success || LocalMinutes.Parse(text).Success
            ? "has no offset: add Z (UTC) or an offset like +01:00, as in 2026-03-02T09:30:00Z"
            : LocalDatePattern.Iso.Parse(text).Success
                ? "is a date, not an instant: give a time and Z or an offset, as in 2026-03-02T09:30:00Z"
                : "is not an instant like 2026-03-02T09:30:00Z (ISO-8601 with Z or an offset)";
        return false;
    }

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);

    private static readonly LocalDateTimePattern LocalMinutes = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");

    private static readonly OffsetDateTimePattern[] InstantPatterns =
    [
        OffsetDateTimePattern.ExtendedIso,
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mmo<G>"),
    ];
}
