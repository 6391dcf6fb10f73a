using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using static Dunwell.Domain.Tests.Compliance.Scenario;

namespace Dunwell.Domain.Tests.Compliance;

/// <summary>
/// What each recorded call outcome does to the call counts (12 CFR 1006.14(b)(3)(ii), comment 14(b)(3)(ii)-1): a
/// number not in service never connected, like a busy tone; voicemail connected, whether or not a message was left.
/// 5 January 2026 is a Monday.
/// </summary>
public sealed class CallOutcomeCountingTests
{
    private static ContactEvent[] SevenCalls(OutcomeCode outcome, string account = "A-1") =>
        [.. Enumerable.Range(0, 7).Select(d => ContactEvents.FromInteraction(
            InteractionChannel.Call, InteractionDirection.Outbound, outcome, false, At(NewYork, 2026, 1, 5 + d, 10, 0), [account])!)];

    [Theory]
    [InlineData(OutcomeCode.NotInService)]
    [InlineData(OutcomeCode.Busy)]
    public void A_call_to_a_number_not_in_service_never_connected_and_is_not_counted(OutcomeCode outcome)
    {
        var request = Call(At(NewYork, 2026, 1, 11, 15, 0), null, SevenCalls(outcome));

        Assert.All(request.History, h => Assert.Equal(ContactResult.NotConnected, h.Result));
        Assert.True(Us(request).Allowed);
    }

    [Fact]
    public void A_creditor_whose_counsel_counts_unconnected_calls_counts_numbers_not_in_service_too()
    {
        var reading = RulePacks.Default.Read(new PackReading { CountNotConnectedCalls = true }, "creditor1.policy1");
        var request = Call(At(NewYork, 2026, 1, 11, 15, 0), null, SevenCalls(OutcomeCode.NotInService));

        var decision = ComplianceEngine.Decide(request, RulePacks.UsFdcpaId, null, reading);

        Assert.Equal(["us.reg-f.call-frequency"], decision.Rules());
    }

    [Theory]
    [InlineData(OutcomeCode.VoicemailNoMessage)]
    [InlineData(OutcomeCode.LeftMessage)]
    public void A_call_that_reached_voicemail_counts_whether_or_not_a_message_was_left(OutcomeCode outcome)
    {
        var request = Call(At(NewYork, 2026, 1, 11, 15, 0), null, SevenCalls(outcome));

        Assert.All(request.History, h => Assert.Equal(ContactResult.Voicemail, h.Result));
        Assert.Equal(["us.reg-f.call-frequency"], Us(request).Rules());
    }

    [Fact]
    public void Under_the_UK_pack_numbers_not_in_service_are_not_calls_placed_to_the_customer_but_voicemails_are()
    {
        var at = At(London, 2026, 1, 11, 15, 0);
        var debtor = Person(Phone("mobile", LondonPhone));
        ContactRequest Uk7(OutcomeCode outcome) => new(at, ContactChannel.Call, "mobile", ContactPurpose.Collection, debtor, [Debt()],
            [.. SevenCalls(outcome).Select((c, d) => c with { At = At(London, 2026, 1, 5 + d, 10, 0) })]);

        Assert.True(Uk(Uk7(OutcomeCode.NotInService)).Allowed);
        Assert.Equal(["uk.fca.contact-frequency"], Uk(Uk7(OutcomeCode.VoicemailNoMessage)).Rules());
    }
}
