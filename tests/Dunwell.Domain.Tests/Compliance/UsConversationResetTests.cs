using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using NodaTime;
using static Dunwell.Domain.Tests.Compliance.Scenario;

namespace Dunwell.Domain.Tests.Compliance;

/// <summary>
/// 12 CFR 1006.14(b)(2)(i)(B): no call about a debt within seven days after a telephone conversation about it. Each new
/// conversation starts the seven days again, counted from its own local date (day 1). The consumer is in New York, on
/// EST (UTC-5) until 8 March 2026 and EDT (UTC-4) from then. 6 January 2026 is a Tuesday.
/// </summary>
public sealed class UsConversationResetTests
{
    private static readonly ContactEvent SpokeTuesday = Spoke(Instant.FromUtc(2026, 1, 6, 19, 0)); // 14:00 EST

    private static readonly ContactEvent TheyCalledThursday = Spoke(Instant.FromUtc(2026, 1, 8, 16, 0), InteractionDirection.Inbound); // 11:00 EST

    [Fact]
    public void A_second_conversation_inside_the_quiet_period_restarts_it_from_its_own_day()
    {
        // Alone, Tuesday's conversation would allow calls from Tuesday 13 January; Thursday's moves that to Thursday 15 January.
        var decision = Us(Call(Instant.FromUtc(2026, 1, 13, 13, 0), null, SpokeTuesday, TheyCalledThursday));

        Assert.Equal(["us.reg-f.call-after-conversation"], decision.Rules());
        Assert.Contains("on 2026-01-08", decision.Reasons[0].Message, StringComparison.Ordinal);
        Assert.Equal(Instant.FromUtc(2026, 1, 15, 13, 0), decision.NextAllowedAt); // 08:00 EST, day 8 after Thursday
    }

    [Fact]
    public void After_a_restart_the_last_day_of_the_new_quiet_period_is_refused_and_the_next_morning_is_allowed()
    {
        var lastMinuteOfDay7 = Us(Call(Instant.FromUtc(2026, 1, 15, 4, 59, 59), null, SpokeTuesday, TheyCalledThursday)); // 23:59:59 EST on 14 January
        var firstMorning = Us(Call(Instant.FromUtc(2026, 1, 15, 13, 0), null, SpokeTuesday, TheyCalledThursday));

        Assert.Contains("us.reg-f.call-after-conversation", lastMinuteOfDay7.Rules());
        Assert.Equal(Instant.FromUtc(2026, 1, 15, 13, 0), lastMinuteOfDay7.NextAllowedAt);
        Assert.True(firstMorning.Allowed);
    }

    [Fact]
    public void A_conversation_after_the_quiet_period_has_ended_starts_a_new_one()
    {
        var spokeAgain = Spoke(Instant.FromUtc(2026, 1, 13, 14, 0)); // 09:00 EST on Tuesday 13 January, day 8

        var decision = Us(Call(Instant.FromUtc(2026, 1, 14, 15, 0), null, SpokeTuesday, spokeAgain));

        Assert.Equal(["us.reg-f.call-after-conversation"], decision.Rules());
        Assert.Equal(Instant.FromUtc(2026, 1, 20, 13, 0), decision.NextAllowedAt); // 08:00 EST on Tuesday 20 January
    }

    [Fact]
    public void A_voicemail_inside_the_quiet_period_does_not_restart_it()
    {
        var voicemailFriday = PlacedCall(Instant.FromUtc(2026, 1, 9, 15, 0)) with { Result = ContactResult.Voicemail };

        var decision = Us(Call(Instant.FromUtc(2026, 1, 12, 15, 0), null, SpokeTuesday, voicemailFriday));

        Assert.Equal(Instant.FromUtc(2026, 1, 13, 13, 0), decision.NextAllowedAt);
    }

    [Fact]
    public void An_email_from_the_consumer_inside_the_quiet_period_does_not_restart_it()
    {
        var theyEmailed = new ContactEvent(Instant.FromUtc(2026, 1, 8, 16, 0), ContactChannel.Email, InteractionDirection.Inbound, ContactResult.Received) { Accounts = ["A-1"] };

        var decision = Us(Call(Instant.FromUtc(2026, 1, 12, 15, 0), null, SpokeTuesday, theyEmailed));

        Assert.Equal(Instant.FromUtc(2026, 1, 13, 13, 0), decision.NextAllowedAt);
    }

    [Fact]
    public void A_conversation_about_another_debt_restarts_only_that_debts_quiet_period()
    {
        var aboutTheOther = Spoke(Instant.FromUtc(2026, 1, 8, 16, 0), InteractionDirection.Inbound, "A-2");
        var request = Call(Instant.FromUtc(2026, 1, 12, 15, 0), null, SpokeTuesday, aboutTheOther);

        var first = Us(request);
        var other = Us(request with { Accounts = [Debt("A-2")] });

        Assert.Equal(Instant.FromUtc(2026, 1, 13, 13, 0), first.NextAllowedAt);
        Assert.Equal(Instant.FromUtc(2026, 1, 15, 13, 0), other.NextAllowedAt);
    }

    [Fact]
    public void A_restart_on_the_day_the_clocks_go_forward_ends_at_08_00_daylight_time_a_week_later()
    {
        var spokeMonday = Spoke(Instant.FromUtc(2026, 3, 2, 15, 0)); // 10:00 EST
        var theyCalledSunday = Spoke(Instant.FromUtc(2026, 3, 8, 19, 0), InteractionDirection.Inbound); // 15:00 EDT, the day EDT starts

        var decision = Us(Call(Instant.FromUtc(2026, 3, 10, 15, 0), null, spokeMonday, theyCalledSunday));

        Assert.Equal(Instant.FromUtc(2026, 3, 15, 12, 0), decision.NextAllowedAt); // 08:00 EDT on Sunday 15 March
    }
}
