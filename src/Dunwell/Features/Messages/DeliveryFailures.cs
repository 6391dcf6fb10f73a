using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Messages;

/// <summary>
/// A message that did not reach its recipient (an email bounce, an SMS receipt saying undeliverable): the message is
/// marked bounced, the address or number it went to is marked undeliverable (so the rules can tell a notice sent there
/// did not arrive, and the sender tries it last), and the account's timeline says so. Called by the SMS receipt webhook
/// and the inbound mail reader; a repeated report of the same failure changes nothing.
/// </summary>
public static class DeliveryFailures
{
    public const string Author = "outbox";

    /// <summary>Returns false when there is no such message or the failure was already recorded. Saves the changes.</summary>
    public static async Task<bool> RecordBounceAsync(DunwellDb db, long outboxMessageId, string reason, Instant at, CancellationToken ct)
    {
        var message = await db.Outbox.SingleOrDefaultAsync(m => m.Id == outboxMessageId, ct);
        if (message is null || message.State == OutboxState.Bounced)
        {
            return false;
        }

        reason = Shorten(string.IsNullOrWhiteSpace(reason) ? "no reason given" : reason.Trim(), 900);
        message.State = OutboxState.Bounced;
        var account = await db.Accounts.Where(a => a.Id == message.AccountId).Select(a => new { a.Id, a.DebtorId }).SingleAsync(ct);
        if (message.ContactId is { } contactId && await db.DebtorContacts.SingleOrDefaultAsync(c => c.Id == contactId, ct) is { } contact)
        {
            // The first failure dates it; a later one only refreshes the reason.
            contact.UndeliverableSince ??= at;
            contact.UndeliverableReason = reason;
        }

        Arrangements.TimelineNote.Add(db, account.Id, account.DebtorId, Author, at,
            Shorten($"{ChannelWord(message.Channel)} to {message.Recipient ?? "the debtor"} was not delivered (message {message.Id}): {reason}", 2000),
            contactId: message.ContactId);
        await db.SaveChangesAsync(ct);
        return true;
    }

    internal static string ChannelWord(InteractionChannel channel) => channel switch
    {
        InteractionChannel.Email => "Email",
        InteractionChannel.Sms => "Text message",
        InteractionChannel.Letter => "Letter",
        _ => "Message",
    };

    internal static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
