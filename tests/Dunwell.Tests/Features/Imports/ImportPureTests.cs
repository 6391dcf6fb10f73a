using System.Globalization;
using Dunwell.Domain.Amounts;
using Dunwell.Features.Generate;
using Dunwell.Features.Imports;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.TimeZones;
using nietras.SeparatedValues;

namespace Dunwell.Tests.Features.Imports;

/// <summary>The parts of importing that need no database: row checks, the country list, the generator, CSV export safety.</summary>
public sealed class ImportPureTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")")]
    [InlineData("+44 20", "'+44 20")]
    [InlineData("-3.05", "'-3.05")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("Jane Doe", "Jane Doe")]
    [InlineData("", "")]
    public void Neutralise_prefixes_a_quote_to_values_a_spreadsheet_would_evaluate(string value, string expected) =>
        Assert.Equal(expected, CsvText.Neutralise(value));

    [Theory]
    [InlineData("2026-01-31")]
    [InlineData("2024-02-29")]
    [InlineData("2025-02-29")]
    [InlineData("2026-13-01")]
    [InlineData("2026-00-10")]
    [InlineData("0000-01-01")]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    [InlineData("-0001-01-01")]
    [InlineData("2026-1-31")]
    [InlineData("2026/01/31")]
    [InlineData("２０２６-01-31")]
    [InlineData("2026-01-31T00:00")]
    public void The_direct_date_reader_accepts_exactly_what_nodatime_iso_accepts(string text)
    {
        var expected = NodaTime.Text.LocalDatePattern.Iso.Parse(text);

        var accepted = PlacementCsv.TryParseIsoDate(text, out var date);

        Assert.Equal(expected.Success, accepted);
        Assert.Equal(expected.Success ? expected.Value : default, date);
    }

    [Property]
    public void The_direct_date_reader_agrees_with_nodatime_on_any_ten_characters_of_digits_and_dashes(byte[] seed)
    {
        var chars = (seed ?? []).Take(10).Select(b => "0123456789-"[b % 11]).ToArray();
        var text = new string(chars).PadRight(10, '1');
        var expected = NodaTime.Text.LocalDatePattern.Iso.Parse(text);

        Assert.Equal(expected.Success, PlacementCsv.TryParseIsoDate(text, out var date));
        Assert.Equal(expected.Success ? expected.Value : default, date);
    }

    [Fact]
    public void The_country_list_has_every_assigned_code_and_covers_every_country_in_tzdb()
    {
        Assert.Equal(249, Regions.Countries.Count);
        Assert.All(TzdbDateTimeZoneSource.Default.ZoneLocations!, l => Assert.True(Regions.IsCountry(l.CountryCode), l.CountryCode));
        Assert.Equal("America/New_York", Regions.DefaultZone("US"));
        Assert.Equal("Europe/London", Regions.DefaultZone("GB"));
        Assert.Equal("Europe/Dublin", Regions.DefaultZone("IE"));
        Assert.False(Regions.IsCountry("UK"));
    }

    [Fact]
    public void A_debtor_without_a_zone_or_phone_gets_the_usual_zone_of_their_country()
    {
        var values = ImportKit.Row(changes: [("phone", ""), ("country", "fr"), ("currency", "eur"), ("account_kind", "commercial")]).Split(',');

        var (row, errors) = PlacementCsv.Parse(5, values.Select(v => v.Length == 0 ? null : v).ToArray());

        Assert.Empty(errors);
        Assert.Equal(("FR", "EUR", "Europe/Paris"), (row!.Country, row.Currency, row.DebtorTimeZone));
    }

    [Fact]
    public void A_consumer_debt_outside_the_countries_with_a_rule_pack_is_refused_naming_the_country()
    {
        var values = ImportKit.Row(changes: [("country", "fr"), ("currency", "eur"), ("phone", "")]).Split(',');

        var (row, errors) = PlacementCsv.Parse(5, values.Select(v => v.Length == 0 ? null : v).ToArray());

        Assert.Null(row);
        var error = Assert.Single(errors);
        Assert.Equal(("country", 5), (error.Column, error.Line));
        Assert.Contains("no rule pack for consumer debts in FR", error.Reason, StringComparison.Ordinal);
    }

    [Property]
    public bool An_amount_written_in_major_units_parses_back_to_the_same_minor_units(long minor, byte exponentSeed)
    {
        var exponent = exponentSeed % 4;
        var positive = minor == long.MinValue ? long.MaxValue : Math.Abs(minor);
        var errors = new List<RowError>();
        var code = exponent switch { 0 => "JPY", 2 => "USD", 3 => "KWD", _ => "USD" };
        var currency = Currency.Of(code);
        var text = MoneyText.Format(positive, currency.Exponent);

        return PlacementCsv.ParseAmount(text, "principal", currency, 2, errors) == positive && errors.Count == 0;
    }

    [Property(MaxTest = 20)]
    public Property Every_generated_row_passes_the_placement_checks(PositiveInt seed) => Prop.ToProperty(EveryRowIsValid(seed.Get));

    [Fact]
    public void The_generator_writes_the_same_bytes_for_the_same_seed()
    {
        Assert.Equal(Generate(3, 500), Generate(3, 500));
        Assert.NotEqual(Generate(3, 500), Generate(4, 500));
    }

    private static string Generate(int seed, int accounts)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        PortfolioGenerator.Write(writer, null, accounts, seed, new LocalDate(2026, 1, 31));
        return writer.ToString();
    }

    private static bool EveryRowIsValid(int seed)
    {
        using var reader = Sep.Reader(o => o with { Unescape = true }).FromText(Generate(seed, 300));
        var header = reader.Header.ColNames;
        var order = PlacementCsv.Header.Select(name => header.ToList().IndexOf(name)).ToArray();
        foreach (var row in reader)
        {
            var values = new string?[order.Length];
            for (var c = 0; c < order.Length; c++)
            {
                // The generator leaves out the optional columns it never fills (the dated consents): absent is blank.
                values[c] = order[c] >= 0 && row[order[c]].ToString() is { Length: > 0 } v ? v : null;
            }

            var (parsed, errors) = PlacementCsv.Parse(row.LineNumberFrom, values);
            if (parsed is null)
            {
                Assert.Fail(string.Join("; ", errors.Select(e => $"{e.Column}: {e.Reason}")));
            }
        }

        return true;
    }
}
