using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using NodaTime;
using static Dunwell.Domain.Tests.Compliance.Scenario;

namespace Dunwell.Domain.Tests.Compliance;

public sealed class RegulationFDatesTests
{
    [Theory]
    [InlineData("2026-03-02", "2026-04-08")] // Monday: received Monday 9 March
    [InlineData("2026-05-22", "2026-07-01")] // Friday before Memorial Day: received Monday 1 June
    [InlineData("2026-12-23", "2027-01-30")] // Christmas Day skipped: received Thursday 31 December
    public void The_validation_period_ends_30_days_after_receipt_assumed_five_business_days_after_sending(string sent, string end)
    {
        Assert.Equal(Parse(end), RegulationF.ValidationPeriodEnd(Parse(sent)));
    }

    [Fact]
    public void Whether_the_observed_Friday_of_a_Saturday_holiday_is_a_business_day_is_a_pack_choice()
    {
        // 4 July 2026 is a Saturday, observed on Friday 3 July.
        var monday = new LocalDate(2026, 6, 29);

        Assert.Equal(new LocalDate(2026, 8, 6), RegulationF.ValidationPeriodEnd(monday));
        Assert.Equal(new LocalDate(2026, 8, 5), RegulationF.ValidationPeriodEnd(monday, RulePacks.Default.Us with { ObservedHolidaysAreNotBusinessDays = false }));
    }

    [Fact]
    public void The_legal_public_holidays_of_2026_fall_on_their_statutory_days()
    {
        LocalDate[] expected =
        [
            new(2026, 1, 1), new(2026, 1, 19), new(2026, 2, 16), new(2026, 5, 25), new(2026, 6, 19), new(2026, 7, 4),
            new(2026, 9, 7), new(2026, 10, 12), new(2026, 11, 11), new(2026, 11, 26), new(2026, 12, 25),
        ];

        Assert.Equal(expected, UsCalendar.HolidaysOf(2026));
    }

    [Fact]
    public void The_validation_notice_is_due_five_calendar_days_after_the_initial_communication()
    {
        Assert.Equal(new LocalDate(2026, 3, 7), RegulationF.ValidationNoticeDueBy(new LocalDate(2026, 3, 2)));
    }

    [Fact]
    public void Records_are_kept_three_years_after_the_last_contact_and_recordings_three_years_after_the_call()
    {
        Assert.Equal(new LocalDate(2029, 5, 15), RegulationF.KeepRecordsUntil(new LocalDate(2026, 5, 15)));
        Assert.Equal(new LocalDate(2029, 3, 10), RegulationF.KeepRecordingUntil(new LocalDate(2026, 3, 10)));
        Assert.Equal(new LocalDate(2031, 3, 1), RegulationF.KeepRecordsUntil(new LocalDate(2028, 2, 29))); // never a day short
    }

    private static readonly DebtorFacts Debtor = Consumer();

    [Fact]
    public void Nothing_is_furnished_before_any_contact()
    {
        var decision = RegulationF.MayFurnish(Debt(), Debtor, [], At(NewYork, 2026, 3, 20, 12, 0));

        Assert.Equal(["us.reg-f.passive-credit-reporting"], decision.Rules());
        Assert.Null(decision.NextAllowedAt);
    }

    [Fact]
    public void After_a_letter_furnishing_waits_fourteen_days_counted_from_the_day_after_mailing()
    {
        ContactEvent[] letter = [new(At(NewYork, 2026, 3, 2, 17, 0), ContactChannel.Letter, InteractionDirection.Outbound, ContactResult.Sent) { Accounts = ["A-1"] }];

        var day14 = RegulationF.MayFurnish(Debt(), Debtor, letter, At(NewYork, 2026, 3, 16, 23, 59));
        var day15 = RegulationF.MayFurnish(Debt(), Debtor, letter, At(NewYork, 2026, 3, 17, 0, 0));

        Assert.False(day14.Allowed);
        Assert.Equal(At(NewYork, 2026, 3, 17, 0, 0), day14.NextAllowedAt);
        Assert.True(day15.Allowed);
    }

    [Fact]
    public void A_letter_that_came_back_does_not_count_but_a_conversation_does()
    {
        var sent = At(NewYork, 2026, 3, 2, 17, 0);
        ContactEvent[] bounced =
        [
            new(sent, ContactChannel.Letter, InteractionDirection.Outbound, ContactResult.Sent) { Accounts = ["A-1"] },
            new(sent.Plus(Duration.FromDays(6)), ContactChannel.Letter, InteractionDirection.Inbound, ContactResult.Undeliverable) { Accounts = ["A-1"] },
        ];

        Assert.False(RegulationF.MayFurnish(Debt(), Debtor, bounced, At(NewYork, 2026, 4, 1, 12, 0)).Allowed);
        Assert.True(RegulationF.MayFurnish(Debt(), Debtor, [Spoke(At(NewYork, 2026, 3, 2, 17, 0))], At(NewYork, 2026, 3, 2, 18, 0)).Allowed);
    }

    [Fact]
    public void A_debt_under_a_dispute_hold_is_not_furnished()
    {
        var account = Debt() with
        {
            ValidationNoticeSentAt = At(NewYork, 2026, 3, 2, 12, 0),
            Disputes = [new Dispute(At(NewYork, 2026, 3, 10, 12, 0), Written: true)],
        };

        var decision = RegulationF.MayFurnish(account, Debtor, [Spoke(At(NewYork, 2026, 3, 2, 17, 0))], At(NewYork, 2026, 3, 20, 12, 0));

        Assert.Equal(["us.reg-f.dispute-hold"], decision.Rules());
        Assert.Contains(decision.Obligations, o => o.Message == "Report the debt as disputed.");
    }

    private static LocalDate Parse(string text) => NodaTime.Text.LocalDatePattern.Iso.Parse(text).Value;
}
