using Dunwell.Domain.Arrangements;
using FsCheck;
using FsCheck.Xunit;
using NodaTime;

namespace Dunwell.Domain.Tests.Arrangements;

public sealed class ArrangementRulesTests
{
    private static readonly EvaluationRules ThreeDaysGraceTwoToDefault = new(GraceDays: 3, MissedInstalmentsToDefault: 2);
    private static readonly AgreedInstalment[] Promise = [new(1, new LocalDate(2027, 3, 10), 20_000)];
    private static readonly AgreedInstalment[] ThreeMonths =
    [
        new(1, new LocalDate(2027, 1, 31), 10_000),
        new(2, new LocalDate(2027, 2, 28), 10_000),
        new(3, new LocalDate(2027, 3, 31), 10_000),
    ];

    [Fact]
    public void A_promise_paid_in_full_by_its_date_is_kept()
    {
        var result = ArrangementRules.Evaluate(ArrangementKind.Promise, Promise, [new(new LocalDate(2027, 3, 9), 20_000)], new LocalDate(2027, 3, 20), ThreeDaysGraceTwoToDefault);

        Assert.Equal(ArrangementState.Kept, result.State);
    }

    [Theory]
    [InlineData("2027-03-10", ArrangementState.Active, InstalmentState.Upcoming)]
    [InlineData("2027-03-13", ArrangementState.Active, InstalmentState.Late)]
    [InlineData("2027-03-14", ArrangementState.Broken, InstalmentState.Missed)]
    public void An_unpaid_promise_is_late_during_the_grace_days_and_broken_after(string asOf, ArrangementState expected, InstalmentState instalment)
    {
        var date = NodaTime.Text.LocalDatePattern.Iso.Parse(asOf).Value;

        var result = ArrangementRules.Evaluate(ArrangementKind.Promise, Promise, [], date, ThreeDaysGraceTwoToDefault);

        Assert.Equal(expected, result.State);
        Assert.Equal(instalment, result.Instalments[0].State);
    }

    [Fact]
    public void The_day_a_promise_breaks_is_reported_once_so_one_follow_up_is_opened()
    {
        var onTheDay = ArrangementRules.Evaluate(ArrangementKind.Promise, Promise, [], new LocalDate(2027, 3, 14), ThreeDaysGraceTwoToDefault);
        var dayAfter = ArrangementRules.Evaluate(ArrangementKind.Promise, Promise, [], new LocalDate(2027, 3, 15), ThreeDaysGraceTwoToDefault);

        Assert.NotNull(onTheDay.NewlyMissed);
        Assert.Null(dayAfter.NewlyMissed);
    }

    [Fact]
    public void A_part_payment_is_applied_and_the_rest_still_falls_due()
    {
        var result = ArrangementRules.Evaluate(ArrangementKind.Promise, Promise, [new(new LocalDate(2027, 3, 1), 5_000)], new LocalDate(2027, 3, 5), ThreeDaysGraceTwoToDefault);

        Assert.Equal((InstalmentState.PartlyPaid, 5_000L), (result.Instalments[0].State, result.Instalments[0].PaidMinor));
        Assert.Equal(ArrangementState.Active, result.State);
    }

    [Fact]
    public void An_overpayment_carries_forward_to_the_next_instalment()
    {
        var result = ArrangementRules.Evaluate(ArrangementKind.Plan, ThreeMonths, [new(new LocalDate(2027, 1, 30), 15_000)], new LocalDate(2027, 2, 1), ThreeDaysGraceTwoToDefault);

        Assert.Equal([InstalmentState.Paid, InstalmentState.PartlyPaid, InstalmentState.Upcoming], result.Instalments.Select(i => i.State));
        Assert.Equal(5_000, result.Instalments[1].PaidMinor);
    }

    [Fact]
    public void A_plan_defaults_after_the_policys_number_of_missed_instalments()
    {
        var oneMissed = ArrangementRules.Evaluate(ArrangementKind.Plan, ThreeMonths, [], new LocalDate(2027, 2, 10), ThreeDaysGraceTwoToDefault);
        var twoMissed = ArrangementRules.Evaluate(ArrangementKind.Plan, ThreeMonths, [], new LocalDate(2027, 3, 10), ThreeDaysGraceTwoToDefault);

        Assert.Equal(ArrangementState.Active, oneMissed.State);
        Assert.Equal(ArrangementState.Defaulted, twoMissed.State);
    }

    [Fact]
    public void A_plan_paid_in_full_is_completed_and_the_surplus_reported()
    {
        var result = ArrangementRules.Evaluate(ArrangementKind.Plan, ThreeMonths, [new(new LocalDate(2027, 1, 5), 31_000)], new LocalDate(2027, 1, 6), ThreeDaysGraceTwoToDefault);

        Assert.Equal(ArrangementState.Completed, result.State);
        Assert.Equal(1_000, result.OverpaidMinor);
    }

    [Property]
    public bool Evaluation_conserves_money_and_is_the_same_when_repeated(NonNegativeInt[] amounts, NonNegativeInt asOfOffset)
    {
        var payments = amounts.Take(10).Select((a, i) => new ReceivedPayment(new LocalDate(2027, 1, 1).PlusDays(i * 9), a.Get % 20_000)).ToList();
        var asOf = new LocalDate(2027, 1, 1).PlusDays(asOfOffset.Get % 150);

        var first = ArrangementRules.Evaluate(ArrangementKind.Plan, ThreeMonths, payments, asOf, ThreeDaysGraceTwoToDefault);
        var again = ArrangementRules.Evaluate(ArrangementKind.Plan, ThreeMonths, payments, asOf, ThreeDaysGraceTwoToDefault);

        return first.Instalments.Sum(i => i.PaidMinor) + first.OverpaidMinor == first.PaidMinor
            && first.State == again.State
            && first.Instalments.SequenceEqual(again.Instalments);
    }

    [Property]
    public bool Without_new_payments_a_later_date_never_improves_the_state(NonNegativeInt[] amounts, NonNegativeInt day, NonNegativeInt more)
    {
        var payments = amounts.Take(5).Select((a, i) => new ReceivedPayment(new LocalDate(2027, 1, 1).PlusDays(i * 7), a.Get % 15_000)).ToList();
        var earlier = new LocalDate(2027, 1, 1).PlusDays(40 + (day.Get % 100));
        var later = earlier.PlusDays(more.Get % 100);

        var before = ArrangementRules.Evaluate(ArrangementKind.Plan, ThreeMonths, payments, earlier, ThreeDaysGraceTwoToDefault);
        var after = ArrangementRules.Evaluate(ArrangementKind.Plan, ThreeMonths, payments, later, ThreeDaysGraceTwoToDefault);

        return before.Missed <= after.Missed
            && !(before.State == ArrangementState.Defaulted && after.State == ArrangementState.Active);
    }
}
