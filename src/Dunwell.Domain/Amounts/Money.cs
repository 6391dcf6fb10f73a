using System.Globalization;

namespace Dunwell.Domain.Amounts;

/// <summary>An amount in integer minor units (cents, pence) of one currency. Never decimal, never double.</summary>
public readonly record struct Money(long Minor, Currency Currency)
{
    public static Money Zero(Currency currency) => new(0, currency);

    public static Money operator +(Money a, Money b) => new(a.Minor + SameCurrency(a, b).Minor, a.Currency);

    public static Money operator -(Money a, Money b) => new(a.Minor - SameCurrency(a, b).Minor, a.Currency);

    public static Money operator -(Money a) => new(-a.Minor, a.Currency);

    public bool IsZero => Minor == 0;

    public bool IsNegative => Minor < 0;

    /// <summary>
    /// Splits a non-negative amount into <paramref name="parts"/> pieces that add up exactly
    /// and differ by at most one minor unit; the earlier pieces carry the extra units.
    /// </summary>
    public IReadOnlyList<Money> Split(int parts)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parts);
        ArgumentOutOfRangeException.ThrowIfNegative(Minor);

        var (each, remainder) = Math.DivRem(Minor, parts);
        var currency = Currency;
        return [.. Enumerable.Range(0, parts).Select(i => new Money(each + (i < remainder ? 1 : 0), currency))];
    }

    /// <summary>Major units as a plain decimal string with exactly the currency's digits: "612.40", "-3.05", "1500" (JPY).</summary>
    public string ToMajorString() => MoneyText.Format(Minor, Currency.Exponent);

    /// <summary>As a person reads it, the way Dunwell's own messages write money: "£1,239.66" (<see cref="MoneyText.Written(long, Currency, CultureInfo?)"/>).</summary>
    public override string ToString() => MoneyText.Written(Minor, Currency);

    private static Money SameCurrency(Money a, Money b) =>
        a.Currency == b.Currency ? b : throw new InvalidOperationException($"Cannot combine {a.Currency} with {b.Currency}.");
}

/// <summary>
/// Conversions between minor units and the decimal strings used on the wire and in files, and the one way money is
/// written for people (<see cref="Written(long, Currency, CultureInfo?)"/>).
/// </summary>
public static class MoneyText
{
    /// <summary>The minus sign of a negative amount written for people; the wire and files use "-".</summary>
    public const char Minus = '−';

    /// <summary>
    /// Money as a person reads it: the currency's symbol and digits, grouped as <paramref name="culture"/> groups
    /// ("1.144,99 £" in de-DE). Without a culture (or with the invariant one) the grouping is English, as in every message
    /// Dunwell writes itself, whoever reads it later: "£1,239.66", "$1,234.56", "¥1,500", "1,234.567 KWD". A currency
    /// without a symbol takes its code after the amount, wherever the locale puts symbols; a negative amount starts
    /// with <see cref="Minus"/>.
    /// </summary>
    public static string Written(long minor, Currency currency, CultureInfo? culture = null) =>
        Written(minor, currency.Exponent, currency.Symbol, currency.Code, culture);

    /// <summary>As <see cref="Written(long, Currency, CultureInfo?)"/> for a code that may be no currency: then two digits and the code.</summary>
    public static string Written(long minor, string code, CultureInfo? culture = null) =>
        Currency.TryParse(code, out var currency) ? Written(minor, currency, culture) : Written(minor, 2, null, code, culture);

    public static string Format(long minor, int exponent)
    {
        if (exponent == 0)
        {
            return minor.ToString(CultureInfo.InvariantCulture);
        }

        var sign = minor < 0 ? "-" : "";
        var magnitude = minor < 0 ? (ulong)(-(minor + 1)) + 1 : (ulong)minor;
        var scale = (ulong)Math.Pow(10, exponent);
        var whole = magnitude / scale;
        var fraction = magnitude % scale;
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{whole}.{fraction.ToString(CultureInfo.InvariantCulture).PadLeft(exponent, '0')}");
    }

    /// <summary>
    /// Parses "612.4", "612.40", "1,000.00" is refused (no grouping), "-3.05" into minor units of a currency with
    /// <paramref name="exponent"/> digits. More digits than the currency has is an error, not a rounding; so is more than
    /// <see cref="Inputs.Plausible.MaxMajorUnits"/> either way. Every amount from outside is read here.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, int exponent, out long minor, out string? error)
    {
        minor = 0;
        error = null;
        text = text.Trim();
        if (text.IsEmpty)
        {
            error = "is empty";
            return false;
        }

        var negative = false;
        if (text[0] is '-' or '+')
        {
            negative = text[0] == '-';
            text = text[1..];
        }

        var point = text.IndexOf('.');
        var wholePart = point < 0 ? text : text[..point];
        var fractionPart = point < 0 ? [] : text[(point + 1)..];
        if (wholePart.IsEmpty || !IsDigits(wholePart) || (point >= 0 && (fractionPart.IsEmpty || !IsDigits(fractionPart))))
        {
            error = $"'{text}' is not a decimal amount like 1234.56";
            return false;
        }

        if (fractionPart.Length > exponent)
        {
            error = exponent == 0
                ? "has decimals but the currency has no minor unit"
                : $"has more than {exponent} decimal places";
            return false;
        }

        try
        {
            checked
            {
                long value = 0;
                foreach (var c in wholePart)
                {
                    value = (value * 10) + (c - '0');
                }

                for (var i = 0; i < exponent; i++)
                {
                    value = (value * 10) + (i < fractionPart.Length ? fractionPart[i] - '0' : 0);
                }

                minor = negative ? -value : value;
                error = Inputs.Plausible.AmountProblem(minor, exponent);
                return error is null;
            }
        }
        catch (OverflowException)
        {
            error = "is too large";
            return false;
        }
    }

    private static string Written(long minor, int exponent, string? symbol, string code, CultureInfo? culture)
    {
        // A neutral culture ("de") says nothing about where the symbol goes; it is read as no culture.
        var format = (NumberFormatInfo)(culture is null || culture.IsNeutralCulture ? CultureInfo.InvariantCulture : culture).NumberFormat.Clone();
        format.CurrencyDecimalDigits = exponent;
        format.NumberDecimalDigits = exponent;
        var magnitude = Math.Abs((decimal)minor);
        for (var i = 0; i < exponent; i++)
        {
            magnitude /= 10;
        }

        string text;
        if (symbol is not null)
        {
            format.CurrencySymbol = symbol;
            text = magnitude.ToString("C", format);
        }
        else
        {
            text = $"{magnitude.ToString("N", format)} {code}";
        }

        return minor < 0 ? Minus + text : text;
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
