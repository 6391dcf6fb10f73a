using Dunwell.Data;
using Dunwell.Features.Charges;
using NodaTime;

namespace Dunwell.Features.Demo;

/// <summary>
/// Reference rates for the demo period, so statutory interest can be shown in pounds and in euros at once. They are
/// illustrative: recorded by <see cref="RecordedBy"/>, and the rates page labels every rate recorded by it as demo data
/// not checked against the publisher. An admin keeps the real table.
/// </summary>
internal static class DemoRates
{
    /// <summary>Who the demo's rates are recorded by; the rates page reads it to label them.</summary>
    public const string RecordedBy = DemoPortfolio.Author;

    /// <summary>Bank Rate as announced by the Bank of England's Monetary Policy Committee, from its dates.</summary>
    public static IReadOnlyList<(LocalDate From, int BasisPoints)> BankRate { get; } =
    [
        (new LocalDate(2023, 8, 3), 525), (new LocalDate(2024, 8, 1), 500), (new LocalDate(2024, 11, 7), 475), (new LocalDate(2025, 2, 6), 450),
        (new LocalDate(2025, 5, 8), 425), (new LocalDate(2025, 8, 7), 400),
    ];

    /// <summary>The ECB main refinancing operations rate, from its dates.</summary>
    public static IReadOnlyList<(LocalDate From, int BasisPoints)> EcbRate { get; } =
    [
        (new LocalDate(2023, 9, 20), 450), (new LocalDate(2024, 6, 12), 425), (new LocalDate(2024, 9, 18), 365), (new LocalDate(2024, 10, 23), 340),
        (new LocalDate(2024, 12, 18), 315), (new LocalDate(2025, 2, 5), 290), (new LocalDate(2025, 3, 12), 265), (new LocalDate(2025, 4, 23), 240),
        (new LocalDate(2025, 6, 11), 215),
    ];

    public static void Add(DunwellDb db, Instant now)
    {
        foreach (var (series, rates) in new[] { (ReferenceRatesApi.BankOfEngland, BankRate), (ReferenceRatesApi.Ecb, EcbRate) })
        {
            foreach (var (from, basisPoints) in rates)
            {
                db.ReferenceRates.Add(new ReferenceRateEntry { Series = series, EffectiveFrom = from, BasisPoints = basisPoints, RecordedBy = RecordedBy, RecordedAt = now });
            }
        }
    }
}
