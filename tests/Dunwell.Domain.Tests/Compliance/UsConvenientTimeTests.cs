using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using NodaTime;
using static Dunwell.Domain.Tests.Compliance.Scenario;

namespace Dunwell.Domain.Tests.Compliance;

public sealed class UsConvenientTimeTests
{
    [Fact]
    public void A_call_at_07_59_59_local_is_refused_until_08_00_that_morning()
    {
        var decision = Us(Call(Instant.FromUtc(2026, 1, 12, 12, 59, 59))); // 07:59:59 EST

        Assert.False(decision.Allowed);
        Assert.Equal(["us.reg-f.inconvenient-time"], decision.Rules());
        Assert.Equal("12 CFR 1006.6(b)(1)(i)", decision.Reasons[0].Citation);
        Assert.Contains("07:59:59 in America/New_York", decision.Reasons[0].Message, StringComparison.Ordinal);
        Assert.Equal(Instant.FromUtc(2026, 1, 12, 13, 0), decision.NextAllowedAt);
    }

    [Fact]
    public void A_call_at_08_00_00_local_is_allowed()
    {
        Assert.True(Us(Call(Instant.FromUtc(2026, 1, 12, 13, 0, 0))).Allowed);
    }

    [Fact]
    public void A_call_at_21_00_00_local_is_allowed_because_only_times_after_nine_are_inconvenient()
    {
        Assert.True(Us(Call(Instant.FromUtc(2026, 1, 13, 2, 0, 0))).Allowed); // 21:00:00 EST on the 12th
    }

    [Fact]
    public void A_call_at_21_00_01_local_is_refused_until_08_00_the_next_morning()
    {
        var decision = Us(Call(Instant.FromUtc(2026, 1, 13, 2, 0, 1)));

        Assert.False(decision.Allowed);
        Assert.Equal(Instant.FromUtc(2026, 1, 13, 13, 0), decision.NextAllowedAt);
    }

    [Fact]
    public void The_strict_statutory_reading_refuses_21_00_00_itself()
    {
        var strict = RulePacks.Default.Us with
        {
            Version = "2026.1-strict",
            ConvenientHours = new ContactWindow(new LocalTime(8, 0), new LocalTime(21, 0), ClosingInstantAllowed: false),
        };

        var decision = ComplianceEngine.Decide(Call(Instant.FromUtc(2026, 1, 13, 2, 0, 0)), strict);

        Assert.False(decision.Allowed);
        Assert.Equal("2026.1-strict", decision.PackVersion);
    }

    [Fact]
    public void On_the_March_night_the_clocks_go_forward_the_next_call_is_at_08_00_daylight_time()
    {
        var halfPastOneEst = Instant.FromUtc(2026, 3, 8, 6, 30);

        var decision = Us(Call(halfPastOneEst));

        Assert.Equal(Instant.FromUtc(2026, 3, 8, 12, 0), decision.NextAllowedAt); // 08:00 EDT is UTC-4
    }

    [Fact]
    public void The_evening_before_the_March_change_refuses_until_08_00_daylight_time()
    {
        var decision = Us(Call(Instant.FromUtc(2026, 3, 8, 2, 30))); // 21:30 EST on 7 March

        Assert.Equal(Instant.FromUtc(2026, 3, 8, 12, 0), decision.NextAllowedAt);
    }

    [Theory]
    [InlineData(5, 30)] // 01:30 EDT, the first time round
    [InlineData(6, 30)] // 01:30 EST, the repeated hour
    public void On_the_November_night_the_clocks_go_back_both_passes_of_the_repeated_hour_wait_for_08_00_standard_time(int utcHour, int utcMinute)
    {
        var decision = Us(Call(Instant.FromUtc(2026, 11, 1, utcHour, utcMinute)));

        Assert.False(decision.Allowed);
        Assert.Equal(Instant.FromUtc(2026, 11, 1, 13, 0), decision.NextAllowedAt); // 08:00 EST is UTC-5
    }

    [Fact]
    public void The_last_allowed_second_on_the_November_change_day_is_21_00_00_standard_time()
    {
        Assert.True(Us(Call(Instant.FromUtc(2026, 11, 2, 2, 0, 0))).Allowed);
        Assert.False(Us(Call(Instant.FromUtc(2026, 11, 2, 2, 0, 1))).Allowed);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void Arizona_keeps_standard_time_all_year(int month)
    {
        var debtor = Person(Phone("mobile", PhoenixPhone));

        var early = Us(Call(Instant.FromUtc(2026, month, 15, 14, 59, 59), debtor)); // 07:59:59 MST, summer and winter

        Assert.False(early.Allowed);
        Assert.Equal(Instant.FromUtc(2026, month, 15, 15, 0), early.NextAllowedAt);
        Assert.Equal(["America/Phoenix"], early.Zones);
    }

    [Fact]
    public void The_phone_mapper_puts_212_in_New_York_and_415_in_Los_Angeles()
    {
        Assert.Equal(["America/New_York"], DebtorLocation.ZonesOfPhone(NewYorkPhone));
        Assert.Equal(["America/Los_Angeles"], DebtorLocation.ZonesOfPhone(LosAngelesPhone));
        Assert.Equal(["America/Boise", "America/Los_Angeles"], DebtorLocation.ZonesOfPhone("+12085550100")); // Idaho spans two zones
        Assert.Empty(DebtorLocation.ZonesOfPhone("+18005550100")); // toll-free says nothing about where someone is
        Assert.Empty(DebtorLocation.ZonesOfPhone("not a number"));
    }

    [Fact]
    public void A_consumer_with_New_York_and_Los_Angeles_numbers_is_called_only_when_it_suits_both()
    {
        var debtor = Person(Phone("mobile", NewYorkPhone), Phone("home", LosAngelesPhone));
        var tenInNewYorkSevenInLosAngeles = Instant.FromUtc(2026, 1, 12, 15, 0);

        var decision = Us(Call(tenInNewYorkSevenInLosAngeles, debtor));

        Assert.False(decision.Allowed);
        Assert.Contains("07:00:00 in America/Los_Angeles", decision.Reasons[0].Message, StringComparison.Ordinal);
        Assert.Equal(["America/New_York", "America/Los_Angeles"], decision.Zones);
        Assert.Equal(Instant.FromUtc(2026, 1, 12, 16, 0), decision.NextAllowedAt); // 08:00 in Los Angeles
    }

    [Fact]
    public void With_two_zones_the_evening_ends_at_21_00_in_the_eastern_one()
    {
        var debtor = Person(Phone("mobile", NewYorkPhone), Phone("home", LosAngelesPhone));

        Assert.True(Us(Call(Instant.FromUtc(2026, 1, 13, 2, 0, 0), debtor)).Allowed);
        var late = Us(Call(Instant.FromUtc(2026, 1, 13, 2, 0, 1), debtor));
        Assert.Equal(Instant.FromUtc(2026, 1, 13, 16, 0), late.NextAllowedAt);
    }

    [Fact]
    public void Where_the_consumer_says_they_are_is_the_only_zone_used()
    {
        var debtor = Person(Phone("mobile", NewYorkPhone)) with { LocationTimeZone = "America/Los_Angeles" };

        var decision = Us(Call(Instant.FromUtc(2026, 1, 12, 15, 0), debtor));

        Assert.Equal(["America/Los_Angeles"], decision.Zones);
        Assert.Equal(Instant.FromUtc(2026, 1, 12, 16, 0), decision.NextAllowedAt);
    }

    [Fact]
    public void An_address_in_a_state_that_spans_zones_counts_every_zone_of_the_state()
    {
        Assert.Equal(["America/New_York", "America/Chicago"], DebtorLocation.ZonesOfAddress(new PostalAddress("US", "FL", "32501")));
        Assert.Equal(["Europe/London"], DebtorLocation.ZonesOfAddress(new PostalAddress("GB")));

        var debtor = Person(Phone("mobile", NewYorkPhone)) with { Address = new PostalAddress("US", "TX") };
        var decision = Us(Call(Instant.FromUtc(2026, 1, 12, 14, 0), debtor)); // 09:00 New York, 08:00 Chicago, 07:00 Denver (El Paso)

        Assert.Equal(Instant.FromUtc(2026, 1, 12, 15, 0), decision.NextAllowedAt);
    }

    [Fact]
    public void With_no_location_at_all_the_time_must_suit_every_US_zone()
    {
        var debtor = Person(Email("email", "pat@example.com"));

        Assert.False(Us(Send(ContactChannel.Email, Instant.FromUtc(2026, 1, 12, 17, 59, 59), debtor)).Allowed); // 07:59:59 in Honolulu
        Assert.True(Us(Send(ContactChannel.Email, Instant.FromUtc(2026, 1, 12, 18, 0), debtor)).Allowed);
        Assert.True(Us(Send(ContactChannel.Email, Instant.FromUtc(2026, 1, 13, 1, 0), debtor)).Allowed); // 21:00 in Puerto Rico
        Assert.False(Us(Send(ContactChannel.Email, Instant.FromUtc(2026, 1, 13, 1, 0, 1), debtor)).Allowed);
    }

    [Fact]
    public void New_York_and_Guam_share_only_the_New_York_evening()
    {
        var debtor = Person(Phone("mobile", NewYorkPhone)) with { Address = new PostalAddress("GU") };

        var decision = Us(Call(Instant.FromUtc(2026, 1, 12, 15, 0), debtor)); // 10:00 in New York, 01:00 in Guam

        Assert.Equal(Instant.FromUtc(2026, 1, 12, 22, 0), decision.NextAllowedAt); // 17:00 in New York, 08:00 in Guam
    }

    [Fact]
    public void When_no_time_is_ever_allowed_the_decision_has_no_next_time_and_says_why()
    {
        var debtor = Consumer() with { InconvenientTimes = [new InconvenientTime(new LocalTime(7, 0), new LocalTime(22, 0))] };

        var decision = Us(Call(Instant.FromUtc(2026, 1, 12, 15, 0), debtor));

        Assert.False(decision.Allowed);
        Assert.Null(decision.NextAllowedAt);
        Assert.Contains("No instant in the next year", decision.NoNextAllowedBecause, StringComparison.Ordinal);
    }

    [Fact]
    public void A_time_the_consumer_called_inconvenient_is_refused_until_it_ends()
    {
        var debtor = Consumer() with { InconvenientTimes = [new InconvenientTime(new LocalTime(12, 0), new LocalTime(14, 0))] };

        var decision = Us(Call(At(NewYork, 2026, 1, 12, 12, 30), debtor));

        Assert.Equal(["us.reg-f.designated-inconvenient-time"], decision.Rules());
        Assert.Equal(At(NewYork, 2026, 1, 12, 14, 0), decision.NextAllowedAt);
        Assert.True(Us(Call(At(NewYork, 2026, 1, 12, 14, 0), debtor)).Allowed);
    }

    [Fact]
    public void An_inconvenient_range_past_midnight_and_on_one_weekday_only_is_respected()
    {
        var debtor = Consumer() with
        {
            InconvenientTimes = [new InconvenientTime(new LocalTime(18, 0), new LocalTime(10, 0)) { Days = new HashSet<IsoDayOfWeek> { IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday } }],
        };

        // The days are the evenings the range starts on: Tuesday evening's range runs into Wednesday morning.
        var mondayMorning = Us(Call(At(NewYork, 2026, 1, 12, 9, 0), debtor));
        var mondayEvening = Us(Call(At(NewYork, 2026, 1, 12, 19, 0), debtor));
        var tuesdayMorning = Us(Call(At(NewYork, 2026, 1, 13, 9, 0), debtor));
        var wednesdayMorning = Us(Call(At(NewYork, 2026, 1, 14, 9, 0), debtor));
        var thursdayMorning = Us(Call(At(NewYork, 2026, 1, 15, 9, 0), debtor));

        Assert.True(mondayMorning.Allowed);
        Assert.Equal(At(NewYork, 2026, 1, 13, 10, 0), mondayEvening.NextAllowedAt);
        Assert.Equal(At(NewYork, 2026, 1, 13, 10, 0), tuesdayMorning.NextAllowedAt);
        Assert.Equal(At(NewYork, 2026, 1, 14, 10, 0), wednesdayMorning.NextAllowedAt);
        Assert.True(thursdayMorning.Allowed);
    }

    [Fact]
    public void Prior_consent_to_a_late_call_lifts_the_hours_while_it_lasts()
    {
        var consent = new PriorConsent(ConsentScope.InconvenientTime, At(NewYork, 2026, 1, 12, 21, 15), At(NewYork, 2026, 1, 12, 22, 0));
        var debtor = Consumer() with { Consents = [consent] };

        Assert.True(Us(Call(At(NewYork, 2026, 1, 12, 21, 30), debtor)).Allowed);
        Assert.False(Us(Call(At(NewYork, 2026, 1, 12, 22, 0), debtor)).Allowed);
        Assert.Equal(At(NewYork, 2026, 1, 12, 21, 15), Us(Call(At(NewYork, 2026, 1, 12, 21, 10), debtor)).NextAllowedAt);
    }

    [Fact]
    public void One_reply_may_go_out_at_a_designated_inconvenient_time_when_the_consumer_wrote_then()
    {
        var debtor = Consumer() with { InconvenientTimes = [new InconvenientTime(new LocalTime(12, 0), new LocalTime(14, 0))] };
        var theyWrote = At(NewYork, 2026, 1, 12, 12, 5);
        var reply = Send(ContactChannel.Email, At(NewYork, 2026, 1, 12, 12, 20), debtor, ContactPurpose.ResponseToConsumerRequest) with { InResponseTo = theyWrote };
        var alreadyReplied = new ContactEvent(At(NewYork, 2026, 1, 12, 12, 10), ContactChannel.Email, InteractionDirection.Outbound, ContactResult.Sent);

        Assert.True(Us(reply).Allowed);
        Assert.False(Us(reply with { History = [alreadyReplied] }).Allowed);
    }

    [Fact]
    public void A_letter_is_posted_not_received_at_a_chosen_hour_so_hours_do_not_apply()
    {
        Assert.True(Us(Send(ContactChannel.Letter, Instant.FromUtc(2026, 1, 12, 7, 0))).Allowed); // 02:00 in New York
    }

    [Fact]
    public void Texts_and_emails_are_held_to_the_same_hours_when_sent()
    {
        Assert.False(Us(Send(ContactChannel.Sms, Instant.FromUtc(2026, 1, 12, 12, 59, 59))).Allowed);
        Assert.False(Us(Send(ContactChannel.Email, Instant.FromUtc(2026, 1, 12, 12, 59, 59))).Allowed);
    }
}
