using Dunwell.Domain.Amounts;
using Dunwell.Domain.Arrangements;
using FsCheck;
using FsCheck.Xunit;
using NodaTime;

namespace Dunwell.Domain.Tests.Arrangements;

public sealed class InstalmentScheduleTests
{
    private static readonly Currency Usd = Currency.Of("USD");

    [Fact]
    public void A_plan_starting_on_the_thirty_first_keeps_to_month_ends()
    {
        var plan = InstalmentSchedule.Generate(new Money(30_000, Usd), new LocalDate(2027, 1, 31), Frequency.Monthly, 3);

        Assert.Equal([new LocalDate(2027, 1, 31), new LocalDate(2027, 2, 28), new LocalDate(2027, 3, 31)], plan.Select(i => i.DueOn));
    }

    [Fact]
    public void In_a_leap_year_february_ends_on_the_twenty_ninth() =>
        Assert.Equal(new LocalDate(2028, 2, 29), InstalmentSchedule.DueOn(new LocalDate(2028, 1, 31), Frequency.Monthly, 1));

    [Fact]
    public void Odd_cents_go_to_the_earliest_instalments()
    {
        var plan = InstalmentSchedule.Generate(new Money(10_000, Usd), new LocalDate(2027, 1, 5), Frequency.Weekly, 3);

        Assert.Equal([3_334, 3_333, 3_333], plan.Select(i => i.Amount.Minor));
        Assert.Equal([new LocalDate(2027, 1, 5), new LocalDate(2027, 1, 12), new LocalDate(2027, 1, 19)], plan.Select(i => i.DueOn));
    }

    [Fact]
    public void A_down_payment_comes_first_and_the_rest_is_split()
    {
        var plan = InstalmentSchedule.Generate(new Money(100_000, Usd), new LocalDate(2027, 1, 15), Frequency.Fortnightly, 2, new Money(20_000, Usd));

        Assert.Equal([(1, 20_000L), (2, 40_000L), (3, 40_000L)], plan.Select(i => (i.Number, i.Amount.Minor)));
        Assert.Equal(new LocalDate(2027, 1, 29), plan[1].DueOn);
    }

    [Fact]
    public void After_a_down_payment_on_the_thirty_first_the_plan_still_keeps_to_month_ends()
    {
        var plan = InstalmentSchedule.Generate(new Money(30_000, Usd), new LocalDate(2028, 1, 31), Frequency.Monthly, 2, new Money(10_000, Usd));

        Assert.Equal([new LocalDate(2028, 1, 31), new LocalDate(2028, 2, 29), new LocalDate(2028, 3, 31)], plan.Select(i => i.DueOn));
    }

    [Property]
    public bool Instalments_add_up_to_the_total_and_fall_due_in_order(NonNegativeInt total, PositiveInt count, Frequency frequency, NonNegativeInt dayOffset)
    {
        var instalments = Math.Min(count.Get, 60);
        var plan = InstalmentSchedule.Generate(new Money(total.Get, Usd), new LocalDate(2026, 1, 1).PlusDays(dayOffset.Get % 3000), frequency, instalments);

        return plan.Sum(i => i.Amount.Minor) == total.Get
            && plan.Count == instalments
            && plan.Zip(plan.Skip(1)).All(pair => pair.First.DueOn < pair.Second.DueOn);
    }
}
