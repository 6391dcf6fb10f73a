using System.Globalization;
using Dunwell.Domain.Amounts;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Dunwell.Domain.Tests.Amounts;

public sealed class MoneyTests
{
    private static readonly Currency Usd = Currency.Of("USD");

    [Theory]
    [InlineData("612.40", 2, 61240)]
    [InlineData("612.4", 2, 61240)]
    [InlineData("0.05", 2, 5)]
    [InlineData("-3.05", 2, -305)]
    [InlineData(" 7 ", 2, 700)]
    [InlineData("1500", 0, 1500)]
    [InlineData("1.234", 3, 1234)]
    public void Decimal_strings_parse_to_exact_minor_units(string text, int exponent, long expected)
    {
        Assert.True(MoneyText.TryParse(text, exponent, out var minor, out var error), error);
        Assert.Equal(expected, minor);
    }

    [Theory]
    [InlineData("12.345", 2, "more than 2 decimal places")]
    [InlineData("1,000.00", 2, "not a decimal amount")]
    [InlineData("1e5", 2, "not a decimal amount")]
    [InlineData("", 2, "empty")]
    [InlineData("12.5", 0, "no minor unit")]
    [InlineData("99999999999999999999", 2, "too large")]
    [InlineData("=1+2", 2, "not a decimal amount")]
    public void Malformed_amounts_are_refused_with_a_reason_not_rounded(string text, int exponent, string reason)
    {
        Assert.False(MoneyText.TryParse(text, exponent, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(61240, "USD", "612.40")]
    [InlineData(-5, "USD", "-0.05")]
    [InlineData(1500, "JPY", "1500")]
    [InlineData(1234, "KWD", "1.234")]
    [InlineData(long.MinValue, "USD", "-92233720368547758.08")]
    public void Minor_units_format_with_exactly_the_currencys_digits(long minor, string code, string expected) =>
        Assert.Equal(expected, new Money(minor, Currency.Of(code)).ToMajorString());

    [Theory]
    [InlineData(123966, "GBP", "£1,239.66")]
    [InlineData(123456, "USD", "$1,234.56")]
    [InlineData(1500, "JPY", "¥1,500")]
    [InlineData(1234567, "KWD", "1,234.567 KWD")]
    [InlineData(5, "EUR", "€0.05")]
    [InlineData(-305, "GBP", "−£3.05")]
    [InlineData(-1234567, "KWD", "−1,234.567 KWD")]
    public void Money_reads_with_the_currencys_symbol_digits_and_english_grouping(long minor, string code, string expected)
    {
        Assert.Equal(expected, MoneyText.Written(minor, Currency.Of(code)));
        Assert.Equal(expected, new Money(minor, Currency.Of(code)).ToString());
    }

    [Theory]
    [InlineData("de-DE", 114499, "GBP", "1.144,99 £")]
    [InlineData("en-GB", 114499, "GBP", "£1,144.99")]
    [InlineData("fr-FR", 123456, "KWD", "123,456 KWD")]
    public void A_locale_given_groups_and_places_the_symbol_its_own_way(string locale, long minor, string code, string expected) =>
        Assert.Equal(expected, MoneyText.Written(minor, Currency.Of(code), CultureInfo.GetCultureInfo(locale)).Replace('\u00a0', ' ').Replace('\u202f', ' '));

    [Fact]
    public void A_code_that_is_no_currency_keeps_two_digits_and_is_written_as_a_word() =>
        Assert.Equal("1,234.56 XYZ", MoneyText.Written(123456, "XYZ"));

    [Property]
    public Property Written_money_reads_back_as_its_minor_units_with_the_currencys_digits_and_one_minus_sign() =>
        Prop.ForAll(
            Gen.OneOf(
                ArbMap.Default.GeneratorFor<long>(),
                Gen.Elements(long.MinValue, long.MaxValue, 0L, -1L, 999L, -1_000L),
                from high in ArbMap.Default.GeneratorFor<int>() from low in ArbMap.Default.GeneratorFor<uint>() select ((long)high << 32) | low).ToArbitrary(),
            Gen.Elements("JPY", "GBP", "KWD", "USD", "EUR", "CHF").ToArbitrary(),
            (minor, code) =>
            {
                var currency = Currency.Of(code);
                var text = MoneyText.Written(minor, currency);
                var amount = text.TrimStart('−').Replace(currency.Symbol ?? $" {code}", "", StringComparison.Ordinal);
                var groups = amount.Split('.')[0].Split(',');
                var fraction = currency.Exponent == 0 ? "" : amount.Split('.')[1];
                var digits = decimal.Parse(string.Concat(amount.Where(char.IsAsciiDigit)), CultureInfo.InvariantCulture);

                return digits == Math.Abs((decimal)minor)
                    && text.StartsWith('−') == minor < 0
                    && !text.Contains('-', StringComparison.Ordinal)
                    && fraction.Length == currency.Exponent
                    && groups[0].Length is >= 1 and <= 3 && groups.Skip(1).All(g => g.Length == 3);
            });

    [Fact]
    public void Unknown_and_lower_case_codes_are_not_currencies()
    {
        Assert.False(Currency.IsKnown("XYZ"));
        Assert.False(Currency.IsKnown("usd"));
        Assert.True(Currency.IsKnown("GBP"));
    }

    [Fact]
    public void Adding_different_currencies_is_a_bug_not_a_number() =>
        Assert.Throws<InvalidOperationException>(() => new Money(1, Usd) + new Money(1, Currency.Of("EUR")));

    [Fact]
    public void Overflow_throws_instead_of_wrapping() =>
        Assert.Throws<OverflowException>(() => new Money(long.MaxValue, Usd) + new Money(1, Usd));

    [Property]
    public bool Formatting_then_parsing_gives_back_the_same_minor_units(long minor, PositiveInt exponentSeed)
    {
        var exponent = exponentSeed.Get % 4;
        var text = MoneyText.Format(minor, exponent);
        return MoneyText.TryParse(text, exponent, out var back, out _) ? back == minor : minor == long.MinValue;
    }

    [Property]
    public bool Splitting_adds_up_exactly_and_parts_differ_by_at_most_one_minor_unit(NonNegativeInt cents, PositiveInt parts)
    {
        var split = new Money(cents.Get, Usd).Split(Math.Min(parts.Get, 120));

        return split.Sum(p => p.Minor) == cents.Get
            && split.Max(p => p.Minor) - split.Min(p => p.Minor) <= 1
            && split.All(p => p.Currency == Usd);
    }

    [Property]
    public Property Addition_is_exact_and_commutative_within_range() =>
        Prop.ForAll(
            Gen.Choose(-1_000_000_000, 1_000_000_000).ToArbitrary(),
            Gen.Choose(-1_000_000_000, 1_000_000_000).ToArbitrary(),
            (a, b) => (new Money(a, Usd) + new Money(b, Usd)).Minor == (long)a + b
                && new Money(a, Usd) + new Money(b, Usd) == new Money(b, Usd) + new Money(a, Usd));
}
