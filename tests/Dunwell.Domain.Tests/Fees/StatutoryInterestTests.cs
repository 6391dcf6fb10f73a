using Dunwell.Domain.Amounts;
using Dunwell.Domain.Fees;
using FsCheck.Xunit;
using NodaTime;

namespace Dunwell.Domain.Tests.Fees;

public sealed class UkLatePaymentInterestTests
{
    private static readonly Currency Gbp = Currency.Of("GBP");

    // Test inputs, not a claim about history: 3.75% from the end of 2025.
    private static readonly ReferenceRates BankRate = new([new RatePoint(new LocalDate(2025, 8, 7), 400), new RatePoint(new LocalDate(2025, 12, 18), 375)]);

    [Fact]
    public void The_worked_example_gives_nine_sixty_six_interest_and_forty_pounds()
    {
        var charge = UkLatePaymentInterest.Compute(new Money(99_999, Gbp), new LocalDate(2026, 3, 31), new LocalDate(2026, 4, 30), BankRate).Charge!;

        Assert.Equal(966, charge.Interest.Minor);
        Assert.Equal(4_000, charge.Compensation.Minor);
        Assert.Equal(4_966, charge.Total.Minor);
        var period = Assert.Single(charge.Periods);
        Assert.Equal((30, 1175), (period.Days, period.RateBasisPoints));
        Assert.Contains("11.75%", charge.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_part_payment_lowers_the_base_from_its_date_and_the_fixed_sum_keeps_the_band_of_the_debt_when_due()
    {
        PrincipalFrom[] history = [new(new LocalDate(2026, 1, 31), 1_000_000), new(new LocalDate(2026, 4, 16), 100_000)];

        var charge = UkLatePaymentInterest.Compute(Gbp, history, new LocalDate(2026, 3, 31), new LocalDate(2026, 4, 30), BankRate).Charge!;

        // The payment day counts in: 16 days at 11.75% on 10,000.00 (51.51) and 14 on 1,000.00 (4.51).
        Assert.Equal([(16, 1_000_000L, 5_151L), (14, 100_000L, 451L)], charge.Periods.Select(p => (p.Days, p.BaseMinor, p.InterestMinor)));
        Assert.Equal(10_000, charge.Compensation.Minor);
    }

    [Fact]
    public void The_worked_example_paid_on_the_thirtieth_of_april_counts_the_payment_day_in()
    {
        PrincipalFrom[] paid = [new(new LocalDate(2026, 3, 1), 99_999), new(new LocalDate(2026, 4, 30), 0)];

        // Asked later than the payment: interest stops with it, and the payment day is the thirtieth late day.
        var charge = UkLatePaymentInterest.Compute(Gbp, paid, new LocalDate(2026, 3, 31), new LocalDate(2026, 5, 20), BankRate).Charge!;

        Assert.Equal(966, charge.Interest.Minor);
        Assert.Equal(4_966, charge.Total.Minor);
        var period = Assert.Single(charge.Periods);
        Assert.Equal((30, new LocalDate(2026, 4, 1), new LocalDate(2026, 4, 30)), (period.Days, period.From, period.Through));
        Assert.Contains("for 30 days, 1 April 2026 to 30 April 2026", period.Explanation, StringComparison.Ordinal);
        Assert.Contains("for 30 days from 1 April 2026 to 30 April 2026", charge.Explanation, StringComparison.Ordinal);
    }

    [Property]
    public bool Paid_in_full_interest_runs_for_exactly_paid_on_minus_relevant_day(FsCheck.PositiveInt amount, FsCheck.PositiveInt lateDays, FsCheck.NonNegativeInt askedLater)
    {
        var relevantDay = new LocalDate(2026, 3, 31);
        var paidOn = relevantDay.PlusDays(lateDays.Get % 400);
        PrincipalFrom[] paid = [new(new LocalDate(2026, 3, 1), amount.Get % 100_000_000 + 1), new(paidOn, 0)];

        var charge = UkLatePaymentInterest.Compute(Gbp, paid, relevantDay, paidOn.PlusDays(askedLater.Get % 60), BankRate).Charge!;

        return charge.Periods.Sum(p => p.Days) == Period.DaysBetween(relevantDay, paidOn)
            && charge.Periods[^1].Through == paidOn
            && charge.Periods.All(p => p.Explanation.Contains($"{p.Days} day", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1, 4_000)]
    [InlineData(99_999, 4_000)]
    [InlineData(100_000, 7_000)]
    [InlineData(999_999, 7_000)]
    [InlineData(1_000_000, 10_000)]
    public void The_fixed_sum_band_is_chosen_on_the_debt(long debtPence, long fixedSumPence) =>
        Assert.Equal(fixedSumPence, UkLatePaymentInterest.FixedSumMinor(debtPence));

    [Fact]
    public void Without_an_agreed_day_the_thirty_day_period_begins_with_the_notice_day() =>
        Assert.Equal(new LocalDate(2026, 3, 21), UkLatePaymentInterest.RelevantDay(null, new LocalDate(2026, 2, 20)));

    [Fact]
    public void The_rate_is_fixed_by_the_half_year_interest_starts_in_and_later_changes_are_ignored()
    {
        var rates = new ReferenceRates([new RatePoint(new LocalDate(2026, 1, 1), 500), new RatePoint(new LocalDate(2026, 5, 1), 100)]);

        // Starts 1 July 2026: Bank Rate on 30 June 2026 (1%) applies for the whole debt, even past year end.
        var july = UkLatePaymentInterest.Compute(new Money(1_000_000, Gbp), new LocalDate(2026, 6, 30), new LocalDate(2027, 3, 1), rates).Charge!;
        // Starts 30 June 2026: Bank Rate on 31 December 2025 is not in the table.
        var june = UkLatePaymentInterest.Compute(new Money(1_000_000, Gbp), new LocalDate(2026, 6, 29), new LocalDate(2026, 7, 5), rates);

        Assert.Equal(900, Assert.Single(july.Periods).RateBasisPoints);
        Assert.NotNull(june.Problem);
        Assert.Contains("2025-12-31", june.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_leap_year_still_divides_by_365()
    {
        var charge = UkLatePaymentInterest.Compute(new Money(3_650_000, Gbp), new LocalDate(2028, 2, 27), new LocalDate(2028, 3, 1), BankRate).Charge!;

        // 3 days (28 Feb, 29 Feb, 1 Mar) at 11.75% on £36,500: 36,500 × 0.1175 × 3 / 365 = £35.25.
        Assert.Equal(3_525, charge.Interest.Minor);
    }

    [Fact]
    public void Nothing_is_due_on_or_before_the_relevant_day()
    {
        var charge = UkLatePaymentInterest.Compute(new Money(50_000, Gbp), new LocalDate(2026, 3, 31), new LocalDate(2026, 3, 31), BankRate).Charge!;

        Assert.Equal(0, charge.Total.Minor);
        Assert.Empty(charge.Periods);
    }

    [Fact]
    public void A_debt_in_another_currency_is_refused_with_a_reason() =>
        Assert.NotNull(UkLatePaymentInterest.Compute(new Money(100, Currency.Of("EUR")), new LocalDate(2026, 3, 31), new LocalDate(2026, 4, 30), BankRate).Problem);
}

public sealed class EuLatePaymentInterestTests
{
    private static readonly Currency Eur = Currency.Of("EUR");
    private static readonly ReferenceRates Ecb = new([new RatePoint(new LocalDate(2025, 6, 11), 215), new RatePoint(new LocalDate(2026, 6, 20), 240)]);

    [Fact]
    public void The_worked_example_gives_one_sixty_six_eighty_five_and_forty_euros()
    {
        var charge = EuLatePaymentInterest.Compute(new Money(1_000_000, Eur), new LocalDate(2026, 3, 31), new LocalDate(2026, 5, 30), Ecb).Charge!;

        Assert.Equal(16_685, charge.Interest.Minor);
        Assert.Equal(4_000, charge.Compensation.Minor);
    }

    [Fact]
    public void A_late_period_across_the_first_of_july_takes_each_half_years_rate()
    {
        var charge = EuLatePaymentInterest.Compute(new Money(1_000_000, Eur), new LocalDate(2026, 6, 15), new LocalDate(2026, 7, 15), Ecb).Charge!;

        Assert.Equal(8_445, charge.Interest.Minor);
        Assert.Equal([(15, 1015), (15, 1040)], charge.Periods.Select(p => (p.Days, p.RateBasisPoints)));
    }

    [Fact]
    public void The_worked_example_paid_on_the_thirtieth_of_may_counts_sixty_days()
    {
        PrincipalFrom[] paid = [new(new LocalDate(2026, 3, 1), 1_000_000), new(new LocalDate(2026, 5, 30), 0)];

        var charge = EuLatePaymentInterest.Compute(Eur, paid, new LocalDate(2026, 3, 31), new LocalDate(2026, 6, 30), Ecb).Charge!;

        Assert.Equal(16_685, charge.Interest.Minor);
        var period = Assert.Single(charge.Periods);
        Assert.Equal((60, new LocalDate(2026, 5, 30)), (period.Days, period.Through));
        Assert.Contains("for 60 days, 1 April 2026 to 30 May 2026", period.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_payment_on_the_fifteenth_of_july_ends_the_second_semester_line_that_day()
    {
        PrincipalFrom[] paid = [new(new LocalDate(2026, 6, 1), 1_000_000), new(new LocalDate(2026, 7, 15), 0)];

        var charge = EuLatePaymentInterest.Compute(Eur, paid, new LocalDate(2026, 6, 15), new LocalDate(2026, 8, 1), Ecb).Charge!;

        Assert.Equal(8_445, charge.Interest.Minor);
        Assert.Equal([(15, 1015, new LocalDate(2026, 6, 30)), (15, 1040, new LocalDate(2026, 7, 15))], charge.Periods.Select(p => (p.Days, p.RateBasisPoints, p.Through)));
        Assert.Contains("10.40% a year (reference rate 2.40% on 1 July 2026 plus 8 points) on €10,000.00 for 15 days, 1 July 2026 to 15 July 2026",
            charge.Periods[1].Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_contract_terms_interest_runs_after_thirty_days_following_receipt() =>
        Assert.Equal(new LocalDate(2026, 3, 3), EuLatePaymentInterest.DeadlineWithoutTerms(new LocalDate(2026, 2, 1)));

    [Property]
    public bool Itemised_periods_add_up_to_the_interest_and_cover_every_late_day(FsCheck.PositiveInt amount, FsCheck.NonNegativeInt startOffset, FsCheck.NonNegativeInt length)
    {
        var deadline = new LocalDate(2026, 1, 1).PlusDays(startOffset.Get % 700);
        var through = deadline.PlusDays(length.Get % 900);

        var charge = EuLatePaymentInterest.Compute(new Money(amount.Get, Eur), deadline, through, Ecb).Charge!;

        return charge.Interest.Minor == charge.Periods.Sum(p => p.InterestMinor)
            && charge.Periods.Sum(p => p.Days) == Period.DaysBetween(deadline, through);
    }

    [Property]
    public bool Simple_interest_never_decreases_with_more_days(FsCheck.PositiveInt amount, FsCheck.NonNegativeInt days, FsCheck.PositiveInt rate) =>
        SimpleInterest.Compute(amount.Get, rate.Get % 5000, days.Get % 3650) <= SimpleInterest.Compute(amount.Get, rate.Get % 5000, (days.Get % 3650) + 1);
}
