using Dunwell.Domain.Accounts;
using NodaTime;

namespace Dunwell.Domain.Compliance;

/// <summary>Turns the host's recorded interactions into the contact history the rules read.</summary>
public static class ContactEvents
{
    /// <summary>
    /// The contact event for an interaction, or null for portal actions and notes, which are not contacts.
    /// A busy line or a number not in service is a call that never connected; every other outbound call rang, reached
    /// voicemail (with or without a message) or was answered, so it counts as a placed call (12 CFR 1006.14(b)(3)(ii)).
    /// </summary>
    public static ContactEvent? FromInteraction(
        InteractionChannel channel, InteractionDirection direction, OutcomeCode outcome, bool conversation, Instant at, IReadOnlyList<string> accounts, string? contactId = null)
    {
        ContactChannel? medium = channel switch
        {
            InteractionChannel.Call => ContactChannel.Call,
            InteractionChannel.Email => ContactChannel.Email,
            InteractionChannel.Sms => ContactChannel.Sms,
            InteractionChannel.Letter => ContactChannel.Letter,
            InteractionChannel.Portal => null,
            InteractionChannel.Note => null,
        };
        if (medium is not { } contactChannel || direction == InteractionDirection.Internal || outcome == OutcomeCode.Correction)
        {
            return null;
        }

        var result = (contactChannel, direction) switch
        {
            (ContactChannel.Call, _) when conversation => ContactResult.Conversation,
            (ContactChannel.Call, InteractionDirection.Outbound) => outcome switch
            {
                OutcomeCode.Busy or OutcomeCode.NotInService => ContactResult.NotConnected,
                OutcomeCode.LeftMessage or OutcomeCode.VoicemailNoMessage => ContactResult.Voicemail,
                _ => ContactResult.Attempted,
            },
            (_, InteractionDirection.Inbound) => ContactResult.Received,
            _ => ContactResult.Sent,
        };
        return new ContactEvent(at, contactChannel, direction, result) { Accounts = accounts, ContactId = contactId };
    }
}
