using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using NodaTime;
using static Dunwell.Domain.Tests.Compliance.Scenario;

namespace Dunwell.Domain.Tests.Compliance;

/// <summary>12 CFR 1006.14(b): seven calls in seven days per debt, and seven quiet days after a conversation. 5 January 2026 is a Monday.</summary>
public sealed class UsCallFrequencyTests
{
    private static ContactEvent[] OneCallADay(int days) =>
        [.. Enumerable.Range(0, days).Select(d => PlacedCall(At(NewYork, 2026, 1, 5 + d, 10, 0)))];

    [Fact]
    public void The_seventh_call_in_seven_days_is_allowed()
    {
        Assert.True(Us(Call(At(NewYork, 2026, 1, 11, 15, 0), null, OneCallADay(6))).Allowed);
    }

    [Fact]
    public void The_eighth_call_in_seven_days_is_refused_until_the_oldest_leaves_the_window()
    {
        var decision = Us(Call(At(NewYork, 2026, 1, 11, 15, 0), null, OneCallADay(7)));

        Assert.Equal(["us.reg-f.call-frequency"], decision.Rules());
        Assert.StartsWith("7 calls about account A-1", decision.Reasons[0].Message, StringComparison.Ordinal);
        Assert.Equal(At(NewYork, 2026, 1, 12, 8, 0), decision.NextAllowedAt); // Monday's call leaves at midnight; hours open at 08:00
    }

    [Fact]
    public void The_window_is_seven_local_calendar_days_so_day_eight_is_clear()
    {
        ContactEvent[] sevenOnMonday = [.. Enumerable.Range(9, 7).Select(h => PlacedCall(At(NewYork, 2026, 1, 5, h, 0)))];

        var sunday = Us(Call(At(NewYork, 2026, 1, 11, 20, 59), null, sevenOnMonday));
        var monday = Us(Call(At(NewYork, 2026, 1, 12, 8, 0), null, sevenOnMonday));

        Assert.False(sunday.Allowed);
        Assert.Equal(At(NewYork, 2026, 1, 12, 8, 0), sunday.NextAllowedAt);
        Assert.True(monday.Allowed);
    }

    [Fact]
    public void The_window_counts_local_days_across_the_March_clock_change()
    {
        ContactEvent[] calls = [.. Enumerable.Range(0, 7).Select(d => PlacedCall(At(NewYork, 2026, 3, 2 + d, 12, 0)))];

        var decision = Us(Call(At(NewYork, 2026, 3, 8, 18, 0), null, calls));

        Assert.Equal(Instant.FromUtc(2026, 3, 9, 12, 0), decision.NextAllowedAt); // 08:00 EDT on Monday 9 March
    }

    [Fact]
    public void Voicemails_count_as_placed_calls()
    {
        ContactEvent[] voicemails = [.. OneCallADay(7).Select(c => c with { Result = ContactResult.Voicemail })];

        Assert.False(Us(Call(At(NewYork, 2026, 1, 11, 15, 0), null, voicemails)).Allowed);
    }

    [Fact]
    public void Calls_that_never_connected_do_not_count_unless_the_pack_says_so()
    {
        ContactEvent[] busy = [.. OneCallADay(7).Select(c => c with { Result = ContactResult.NotConnected })];
        var request = Call(At(NewYork, 2026, 1, 11, 15, 0), null, busy);

        Assert.True(Us(request).Allowed);
        Assert.False(ComplianceEngine.Decide(request, RulePacks.Default.Us with { CountNotConnectedCalls = true }).Allowed);
    }

    [Fact]
    public void Texts_and_emails_are_not_calls()
    {
        ContactEvent[] texts = [.. OneCallADay(7).Select(c => c with { Channel = ContactChannel.Sms, Result = ContactResult.Sent })];

        Assert.True(Us(Call(At(NewYork, 2026, 1, 11, 15, 0), null, texts)).Allowed);
    }

    [Fact]
    public void The_count_is_per_debt_and_a_call_about_two_debts_counts_toward_each()
    {
        var history = OneCallADay(7);
        var aboutTheOther = Call(At(NewYork, 2026, 1, 11, 15, 0), null, history) with { Accounts = [Debt("A-2")] };
        var aboutBoth = aboutTheOther with { Accounts = [Debt("A-1"), Debt("A-2")] };
        ContactEvent[] aboutBothHistory = [.. OneCallADay(7).Select(c => c with { Accounts = ["A-1", "A-2"] })];

        Assert.True(Us(aboutTheOther).Allowed);
        Assert.Contains("account A-1", Assert.Single(Us(aboutBoth).Reasons).Message, StringComparison.Ordinal);
        Assert.Contains("account A-2", Assert.Single(Us(aboutTheOther with { History = aboutBothHistory }).Reasons).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_call_recorded_without_its_debts_counts_toward_every_debt()
    {
        ContactEvent[] unknownDebt = [.. OneCallADay(7).Select(c => c with { Accounts = [] })];

        Assert.False(Us(Call(At(NewYork, 2026, 1, 11, 15, 0), null, unknownDebt) with { Accounts = [Debt("A-9")] }).Allowed);
    }

    [Fact]
    public void After_a_conversation_no_call_about_the_debt_for_seven_days_counting_that_day()
    {
        var spokeTuesday = Spoke(At(NewYork, 2026, 1, 6, 14, 0));

        var laterThatDay = Us(Call(At(NewYork, 2026, 1, 6, 16, 0), null, spokeTuesday));
        var followingMonday = Us(Call(At(NewYork, 2026, 1, 12, 20, 0), null, spokeTuesday));
        var followingTuesday = Us(Call(At(NewYork, 2026, 1, 13, 8, 0), null, spokeTuesday));

        Assert.Equal(["us.reg-f.call-after-conversation"], laterThatDay.Rules());
        Assert.Equal(At(NewYork, 2026, 1, 13, 8, 0), followingMonday.NextAllowedAt);
        Assert.True(followingTuesday.Allowed);
    }

    [Fact]
    public void A_conversation_on_a_call_the_consumer_made_also_starts_the_quiet_period()
    {
        var theyCalledMonday = Spoke(At(NewYork, 2026, 1, 5, 11, 0), InteractionDirection.Inbound);

        Assert.False(Us(Call(At(NewYork, 2026, 1, 7, 11, 0), null, theyCalledMonday)).Allowed);
    }

    [Fact]
    public void The_consumers_prior_consent_allows_a_callback_inside_the_quiet_period()
    {
        var spokeTuesday = Spoke(At(NewYork, 2026, 1, 6, 14, 0));
        var callMeThursday = new PriorConsent(ConsentScope.CallFrequency, At(NewYork, 2026, 1, 6, 14, 5), At(NewYork, 2026, 1, 9, 0, 0));
        var debtor = Consumer() with { Consents = [callMeThursday] };

        Assert.True(Us(Call(At(NewYork, 2026, 1, 8, 10, 0), debtor, spokeTuesday)).Allowed);
        Assert.False(Us(Call(At(NewYork, 2026, 1, 9, 10, 0), debtor, spokeTuesday)).Allowed); // the consumer gave only until Thursday
    }

    [Fact]
    public void Calls_made_under_consent_do_not_count_once_it_has_lapsed()
    {
        var consent = new PriorConsent(ConsentScope.CallFrequency, At(NewYork, 2026, 1, 6, 9, 0));
        var debtor = Consumer() with { Consents = [consent] };
        ContactEvent[] consentedCalls = [.. Enumerable.Range(0, 7).Select(d => PlacedCall(At(NewYork, 2026, 1, 10 + (d / 3), 10 + d, 0)))];

        var dayEight = Call(At(NewYork, 2026, 1, 13, 9, 0), debtor, consentedCalls); // consent covered 6 to 12 January

        Assert.True(Us(dayEight).Allowed);
        Assert.False(Us(dayEight with { Debtor = Consumer() }).Allowed);
    }

    [Fact]
    public void History_after_the_instant_asked_about_is_ignored()
    {
        Assert.True(Us(Call(At(NewYork, 2026, 1, 6, 10, 0), null, Spoke(At(NewYork, 2026, 1, 6, 11, 0)))).Allowed);
    }
}
