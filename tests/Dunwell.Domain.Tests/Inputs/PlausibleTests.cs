using Dunwell.Domain.Amounts;
using Dunwell.Domain.Inputs;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace Dunwell.Domain.Tests.Inputs;

public sealed class PlausibleTests
{
    [Property(MaxTest = 500)]
    public Property An_amount_reads_back_exactly_when_within_the_maximum_and_is_refused_beyond_it() =>
        Prop.ForAll(
            Gen.OneOf(ArbMap.Default.GeneratorFor<long>(), Gen.Choose(-1_000_000, 1_000_000).Select(d => (Plausible.MaxMinor(2) + d) * (d % 2 == 0 ? 1 : -1))).ToArbitrary(),
            Gen.Elements(0, 2, 3).ToArbitrary(),
            (minor, exponent) =>
            {
                var text = MoneyText.Format(minor, exponent);
                var ok = MoneyText.TryParse(text, exponent, out var parsed, out var error);
                var within = minor >= -Plausible.MaxMinor(exponent) && minor <= Plausible.MaxMinor(exponent);
                return ok == within && (!ok || parsed == minor) && (ok || error!.Contains("maximum", StringComparison.Ordinal));
            });

    [Property(MaxTest = 200)]
    public Property Three_components_and_ten_thousand_entries_at_the_maximum_cannot_overflow(PositiveInt entries) =>
        // Proof by bounds: what the maximum lets in sums far inside a long, so checked arithmetic never throws.
        ((Int128)Plausible.MaxMinor(3) * 3 * Math.Min(entries.Get, 10_000) < long.MaxValue).ToProperty();

    [Theory]
    [InlineData("92233720368547758.07")]
    [InlineData("1000000000000.01")]
    [InlineData("-1000000000000.01")]
    public void Amounts_beyond_ten_to_the_twelve_major_units_are_refused(string text)
    {
        Assert.False(MoneyText.TryParse(text, 2, out _, out var error));
        Assert.Contains("maximum", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_largest_amount_is_accepted() =>
        Assert.True(MoneyText.TryParse("1000000000000.00", 2, out _, out _));

    [Theory]
    [InlineData("1900-01-01", true)]
    [InlineData("2199-12-31", true)]
    [InlineData("1899-12-31", false)]
    [InlineData("2200-01-01", false)]
    [InlineData("0001-01-01", false)]
    [InlineData("9999-12-31", false)]
    [InlineData("2026-02-30", false)]
    public void Dates_are_accepted_from_1900_through_2199(string text, bool accepted) =>
        Assert.Equal(accepted, Plausible.TryParseDate(text, out _, out _));

    [Theory]
    [InlineData("2026-03-02T12:00:00Z", "2026-03-02T12:00:00Z")]
    [InlineData("2026-03-02T12:00:00.123456+01:00", "2026-03-02T11:00:00.123456Z")]
    [InlineData("2026-03-02T07:30-05:00", "2026-03-02T12:30:00Z")]
    [InlineData("2199-12-31T23:59:59Z", "2199-12-31T23:59:59Z")]
    public void Instants_with_Z_or_an_offset_are_read(string text, string utc)
    {
        Assert.True(Plausible.TryParseInstant(text, out var value, out var error), error);
        Assert.Equal(utc, NodaTime.Text.InstantPattern.ExtendedIso.Format(value.ToInstant()));
    }

    [Theory]
    [InlineData("2026-03-02T12:00:00", "has no offset: add Z (UTC) or an offset like +01:00")]
    [InlineData("2026-03-02T12:00", "has no offset")]
    [InlineData("2026-03-02", "is a date, not an instant")]
    [InlineData("0001-01-01T00:00:00Z", "outside the times")]
    [InlineData("2200-01-01T00:00:00Z", "outside the times")]
    [InlineData("yesterday", "is not an instant")]
    public void Other_instants_are_refused_saying_why(string text, string reason)
    {
        Assert.False(Plausible.TryParseInstant(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_window_is_1900_through_2199() =>
        Assert.Equal((new LocalDate(1900, 1, 1), new LocalDate(2199, 12, 31)), (Plausible.FirstDate, Plausible.LastDate));
}
