using System.Globalization;
using Dunwell.Domain.Amounts;
using NodaTime;

namespace Dunwell.Domain.Fees;

/// <summary>One line of an itemised interest charge: which days, at what rate, on what base, for how much.</summary>
public sealed record InterestPeriod(LocalDate From, LocalDate Through, int Days, int RateBasisPoints, long BaseMinor, long InterestMinor)
{
    /// <summary>The line in words; it names this line's own days, dates, rate and base.</summary>
    public string Explanation { get; init; } = "";
}

/// <summary>Statutory late-payment interest and compensation on one commercial debt, itemised so nothing is unexplained.</summary>
public sealed record StatutoryCharge(
    string Rule,
    string Citation,
    Money Debt,
    LocalDate InterestFrom,
    LocalDate Through,
    IReadOnlyList<InterestPeriod> Periods,
    Money Interest,
    Money Compensation,
    string Explanation)
{
    public Money Total => Interest + Compensation;
}

/// <summary>Why statutory interest cannot be computed (no reference rate for the date, a debt in the wrong currency).</summary>
public sealed record StatutoryChargeProblem(string Rule, string Message);

/// <summary>
/// Simple interest on a base: base × rate × days / 365, rounded half up to the minor unit, in integer arithmetic.
/// The /365 day count (also in leap years) follows common GOV.UK and EU practice.
/// </summary>
public static class SimpleInterest
{
    public static long Compute(long baseMinor, int rateBasisPoints, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(baseMinor);
        ArgumentOutOfRangeException.ThrowIfNegative(rateBasisPoints);
        ArgumentOutOfRangeException.ThrowIfNegative(days);

        var numerator = (Int128)baseMinor * rateBasisPoints * days;
        const long denominator = 10_000L * 365;
        return (long)((numerator * 2 + denominator) / (denominator * 2));
    }
}

/// <summary>
/// UK Late Payment of Commercial Debts (Interest) Act 1998: simple interest at Bank Rate + 8 points, the reference rate
/// fixed for the life of the debt (Bank Rate on 31 December for interest starting January–June, on 30 June for
/// July–December), from the day after the relevant day; plus a fixed sum of £40, £70 or £100 by the size of the debt.
/// </summary>
public static class UkLatePaymentInterest
{
    public const string RuleId = "uk-late-payment-1998";
    public const string Citation = "Late Payment of Commercial Debts (Interest) Act 1998 ss.1, 4, 5A; SI 2002/1675 art. 4";
    public const int MarginBasisPoints = 800;

    /// <summary>
    /// The relevant day: the agreed payment day, or else the last day of the 30-day period beginning with the day the
    /// purchaser had notice of the debt (the first day counts, so notice on 20 February gives 21 March).
    /// </summary>
    public static LocalDate RelevantDay(LocalDate? agreedPaymentDay, LocalDate noticeDate) =>
        agreedPaymentDay ?? noticeDate.PlusDays(29);

    /// <summary>The fixed sum of s.5A, in pence: the band is chosen on the debt itself.</summary>
    public static long FixedSumMinor(long debtMinor) => debtMinor switch
    {
        < 100_000 => 4_000,
        < 1_000_000 => 7_000,
        _ => 10_000,
    };

    /// <param name="debt">The qualifying debt (one invoice), in GBP.</param>
    /// <param name="relevantDay">See <see cref="RelevantDay"/>; interest runs from the next day.</param>
    /// <param name="through">The payment day or the as-of date, included.</param>
    /// <param name="bankRate">Bank Rate history.</param>
    public static Result Compute(Money debt, LocalDate relevantDay, LocalDate through, ReferenceRates bankRate) =>
        Compute(debt.Currency, [new PrincipalFrom(LocalDate.MinIsoValue, debt.Minor)], relevantDay, through, bankRate);

    /// <summary>
    /// With the debt's history: interest runs on what is unpaid each day, so a part payment lowers it from its value
    /// date; the fixed sum's band is the debt as it stood on the relevant day.
    /// </summary>
    public static Result Compute(Currency currency, IReadOnlyList<PrincipalFrom> history, LocalDate relevantDay, LocalDate through, ReferenceRates bankRate)
    {
        var debt = new Money(Math.Max(0, StatutoryRuns.PrincipalOn(history, relevantDay)), currency);
        if (debt.Currency.Code != "GBP")
        {
            return new StatutoryChargeProblem(RuleId, $"The 1998 Act's fixed sums are in pounds; this debt is in {debt.Currency}.");
        }

        var from = relevantDay.PlusDays(1);
        var referenceDate = from.Month <= 6 ? new LocalDate(from.Year - 1, 12, 31) : new LocalDate(from.Year, 6, 30);
        if (bankRate.InForceOn(referenceDate) is not { } reference)
        {
            return new StatutoryChargeProblem(RuleId, $"No Bank Rate is recorded for {referenceDate:yyyy-MM-dd}; add it to the reference rates.");
        }

        var rate = reference + MarginBasisPoints;
        var basis = string.Create(CultureInfo.InvariantCulture,
            $"{Percent(rate)} a year (Bank Rate {Percent(reference)} on {referenceDate:d MMMM yyyy} plus 8 points)");
        var periods = StatutoryRuns.Split(history, from, through, rate)
            .Select(p => p with { Explanation = $"Statutory interest at {basis} on {StatutoryRuns.Describe(p, currency)}." })
            .ToList();
        var interest = periods.Sum(p => p.InterestMinor);
        var started = through > relevantDay;
        var compensation = started ? FixedSumMinor(debt.Minor) : 0;
        var explanation = started
            ? string.Create(CultureInfo.InvariantCulture,
                $"Statutory interest at {basis} on the unpaid part of {debt} {StatutoryRuns.DaysInWords(periods)}, and a fixed sum of {MoneyText.Written(compensation, debt.Currency)} for a debt of this size.")
            : "The debt is not yet late, so no statutory interest or fixed sum is due.";
        return new StatutoryCharge(RuleId, Citation, debt, from, through, periods, new Money(interest, debt.Currency),
            new Money(compensation, debt.Currency), explanation);
    }

    internal static string Percent(int basisPoints) => string.Create(CultureInfo.InvariantCulture, $"{basisPoints / 100m:0.00}%");

    internal static string Points(int basisPoints) => string.Create(CultureInfo.InvariantCulture, $"{basisPoints / 100m:0.##} points");

    /// <summary>Either the charge or the reason it cannot be computed.</summary>
    public readonly record struct Result(StatutoryCharge? Charge, StatutoryChargeProblem? Problem)
    {
        public static implicit operator Result(StatutoryCharge charge) => new(charge, null);

        public static implicit operator Result(StatutoryChargeProblem problem) => new(null, problem);
    }
}

/// <summary>
/// EU Directive 2011/7/EU between undertakings: simple interest at the reference rate + at least 8 points, the
/// reference rate set per half-year (the rate in force on 1 January for January–June, on 1 July for July–December),
/// from the day after the payment deadline; plus at least €40 per late payment.
/// </summary>
public static class EuLatePaymentInterest
{
    public const string RuleId = "eu-late-payment-2011-7";
    public const string Citation = "Directive 2011/7/EU arts. 2(6), 3(2)–(3), 6";
    public const int MinimumMarginBasisPoints = 800;
    public const long FixedSumEuroCents = 4_000;

    /// <summary>With no contractual deadline, interest runs once 30 calendar days following receipt of the invoice have passed.</summary>
    public static LocalDate DeadlineWithoutTerms(LocalDate invoiceReceived) => invoiceReceived.PlusDays(30);

    /// <param name="debt">The late payment (one invoice or one periodic payment).</param>
    /// <param name="deadline">The last day for payment; interest runs from the next day.</param>
    /// <param name="through">The payment day or the as-of date, included.</param>
    /// <param name="referenceRate">The ECB main refinancing rate (or the national central bank's equivalent).</param>
    /// <param name="marginBasisPoints">The national margin, at least 8 points (Germany 9, France 10).</param>
    public static UkLatePaymentInterest.Result Compute(
        Money debt, LocalDate deadline, LocalDate through, ReferenceRates referenceRate, int marginBasisPoints = MinimumMarginBasisPoints) =>
        Compute(debt.Currency, [new PrincipalFrom(LocalDate.MinIsoValue, debt.Minor)], deadline, through, referenceRate, marginBasisPoints);

    /// <summary>With the debt's history: interest runs on what is unpaid each day, so a part payment lowers it from its value date.</summary>
    public static UkLatePaymentInterest.Result Compute(
        Currency currency, IReadOnlyList<PrincipalFrom> history, LocalDate deadline, LocalDate through, ReferenceRates referenceRate,
        int marginBasisPoints = MinimumMarginBasisPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(marginBasisPoints, MinimumMarginBasisPoints);
        var debt = new Money(Math.Max(0, StatutoryRuns.PrincipalOn(history, deadline)), currency);

        var from = deadline.PlusDays(1);
        var periods = new List<InterestPeriod>();
        for (var start = from; start <= through;)
        {
            var semesterStart = new LocalDate(start.Year, start.Month <= 6 ? 1 : 7, 1);
            var semesterEnd = semesterStart.PlusMonths(6).PlusDays(-1);
            var end = semesterEnd < through ? semesterEnd : through;
            if (referenceRate.InForceOn(semesterStart) is not { } reference)
            {
                return new StatutoryChargeProblem(RuleId, $"No reference rate is recorded for {semesterStart:yyyy-MM-dd}; add it to the reference rates.");
            }

            var basis = string.Create(CultureInfo.InvariantCulture,
                $"{UkLatePaymentInterest.Percent(reference + marginBasisPoints)} a year (reference rate {UkLatePaymentInterest.Percent(reference)} on {semesterStart:d MMMM yyyy} plus {UkLatePaymentInterest.Points(marginBasisPoints)})");
            periods.AddRange(StatutoryRuns.Split(history, start, end, reference + marginBasisPoints)
                .Select(p => p with { Explanation = $"Statutory interest at {basis} on {StatutoryRuns.Describe(p, currency)}." }));
            start = end.PlusDays(1);
        }

        var interest = periods.Sum(p => p.InterestMinor);
        var late = through > deadline;
        var compensation = late && debt.Currency.Code == "EUR" ? FixedSumEuroCents : 0;
        var lines = string.Join("; ", periods.Select(p => string.Create(CultureInfo.InvariantCulture,
            $"{p.Days} days at {UkLatePaymentInterest.Percent(p.RateBasisPoints)} on {MoneyText.Written(p.BaseMinor, currency)} ({p.From:d MMMM yyyy} to {p.Through:d MMMM yyyy})")));
        var explanation = late
            ? string.Create(CultureInfo.InvariantCulture,
                $"Statutory interest on {debt} from {from:d MMMM yyyy}, the payment day included: {(lines.Length > 0 ? lines : "nothing unpaid")}{(compensation > 0 ? ", and the fixed €40 for recovery costs." : ".")}")
            : "The payment is not yet late, so no statutory interest or compensation is due.";
        return new StatutoryCharge(RuleId, Citation, debt, from, through, periods, new Money(interest, debt.Currency),
            new Money(compensation, debt.Currency), explanation);
    }
}

/// <summary>
/// Splits a run of days at the debt's changes: one interest line per stretch with one unpaid amount. Statutory interest
/// counts the payment day in (days = paid on − relevant day, REGULATION A11): each day earns on what was unpaid when it
/// began, so a payment lowers the base from the day after its value date.
/// </summary>
internal static class StatutoryRuns
{
    public static IEnumerable<InterestPeriod> Split(IReadOnlyList<PrincipalFrom> valueDated, LocalDate from, LocalDate through, int rateBasisPoints)
    {
        IReadOnlyList<PrincipalFrom> history = [.. valueDated.Select(h => h.From < LocalDate.MaxIsoValue ? h with { From = h.From.PlusDays(1) } : h)];
        var start = from;
        while (start <= through)
        {
            var principal = PrincipalOn(history, start);
            var next = history.Where(h => h.From > start && h.From <= through && PrincipalOn(history, h.From) != principal).Select(h => (LocalDate?)h.From).Min();
            var end = next?.PlusDays(-1) ?? through;
            if (principal > 0)
            {
                var days = Period.DaysBetween(start, end) + 1;
                yield return new InterestPeriod(start, end, days, rateBasisPoints, principal, SimpleInterest.Compute(principal, rateBasisPoints, days));
            }

            start = end.PlusDays(1);
        }
    }

    /// <summary>One line in words: its base, its days and the dates they run from and through.</summary>
    public static string Describe(InterestPeriod period, Currency currency) => string.Create(CultureInfo.InvariantCulture,
        $"{MoneyText.Written(period.BaseMinor, currency)} for {Days(period.Days)}, {period.From:d MMMM yyyy} to {period.Through:d MMMM yyyy}");

    /// <summary>The days all lines cover together, in words: what the charge as a whole explains.</summary>
    public static string DaysInWords(IReadOnlyList<InterestPeriod> periods) => periods.Count == 0
        ? "on nothing unpaid"
        : string.Create(CultureInfo.InvariantCulture,
            $"for {Days(periods.Sum(p => p.Days))} from {periods[0].From:d MMMM yyyy} to {periods[^1].Through:d MMMM yyyy} (the payment day counts)");

    private static string Days(int days) => days == 1 ? "1 day" : string.Create(CultureInfo.InvariantCulture, $"{days} days");

    public static long PrincipalOn(IReadOnlyList<PrincipalFrom> history, LocalDate day) =>
        history.Where(h => h.From <= day).OrderBy(h => h.From).Select(h => h.Minor).LastOrDefault();
}
