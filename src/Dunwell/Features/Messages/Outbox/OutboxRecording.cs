using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Messages.Outbox;

/// <summary>
/// What an attempt came to, written with the attempt in one commit. Accepted: sent, with an interaction on the account's
/// timeline (and, for the validation notice, the account's validation dates from this send). Transient: queued again
/// after a growing pause, until the tries run out. Rejected: failed. Unknown: parked for a person, never resent here.
/// </summary>
internal static class OutboxRecording
{
    public const string ValidationNotice = "validation-notice";

    public static async Task<OutboxState> RecordAsync(DunwellDb db, OutboxMessage message, DeliveryAttempt attempt, SendOutcome outcome, Instant now, OutboxOptions options, CancellationToken cancellationToken)
    {
        attempt.Outcome = outcome.Result.ToString();
        attempt.FinishedAt = now;
        attempt.ProviderMessageId = outcome.ProviderMessageId;
        attempt.Evidence = DeliveryFailures.Shorten(outcome.Detail, 4000);
        message.ClaimToken = null;
        message.LeaseUntil = null;
        Interaction? sent = null;
        switch (outcome.Result)
        {
            case SendResult.Accepted:
                message.State = OutboxState.Sent;
                message.SentAt = now;
                message.ProviderMessageId = outcome.ProviderMessageId;
                message.HeldReason = null;
                sent = await TimelineAsync(db, message, now, DeliveryFailures.Author, "sent", cancellationToken);
                break;
            case SendResult.Transient when message.Attempts < options.MaxAttempts:
                message.State = OutboxState.Queued;
                attempt.NextRetryAt = message.SendAfter = now + Backoff(message.Attempts);
                message.HeldReason = DeliveryFailures.Shorten($"Try {message.Attempts} did not go through; trying again: {outcome.Detail}", 2000);
                break;
            case SendResult.Transient:
                message.State = OutboxState.Failed;
                message.HeldReason = DeliveryFailures.Shorten($"Gave up after {message.Attempts} tries: {outcome.Detail}", 2000);
                break;
            case SendResult.Rejected:
                message.State = OutboxState.Failed;
                message.HeldReason = DeliveryFailures.Shorten($"Refused: {outcome.Detail}", 2000);
                break;
            default:
                message.State = OutboxState.Parked;
                message.HeldReason = DeliveryFailures.Shorten($"{outcome.Detail} Check whether it arrived, then mark it as sent or send it again.", 2000);
                break;
        }

        await db.SaveChangesAsync(cancellationToken);
        if (sent is not null)
        {
            // A crash between the two commits loses only this link; the timeline entry names the message anyway.
            message.InteractionId = sent.Id;
            await db.SaveChangesAsync(cancellationToken);
        }

        return message.State;
    }

    /// <summary>1, 3, 9, 27… minutes, at most six hours.</summary>
    public static Duration Backoff(int attempts) => Duration.FromMinutes(Math.Min(360, Math.Pow(3, Math.Max(0, attempts - 1))));

    /// <summary>
    /// The timeline entry of a message that went out (the sender's, or a person's who checked a parked one), and what an
    /// actual send starts: the validation period runs from the notice as sent.
    /// </summary>
    internal static async Task<Interaction> TimelineAsync(DunwellDb db, OutboxMessage message, Instant now, string author, string how, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.SingleAsync(a => a.Id == message.AccountId, cancellationToken);
        if (message.TemplateKey == ValidationNotice && account.ValidationNoticeSentAt is null)
        {
            // The validation period runs from the notice as actually sent, not as queued.
            var zone = await db.Creditors.Where(c => c.Id == account.CreditorId).Select(c => c.TimeZone).SingleAsync(cancellationToken);
            account.ValidationNoticeSentAt = now;
            account.ValidationPeriodEnd ??= RegulationF.ValidationPeriodEnd(now.InZone(DateTimeZoneProviders.Tzdb[zone]).Date);
            account.UpdatedAt = now;
        }

        var what = message.Subject is { Length: > 0 } subject ? $"\"{subject}\"" : $"'{message.TemplateKey}'";
        var interaction = new Interaction
        {
            AccountId = account.Id,
            DebtorId = account.DebtorId,
            Channel = message.Channel,
            Direction = InteractionDirection.Outbound,
            OccurredAt = now,
            RecordedAt = now,
            Author = author,
            ContactId = message.ContactId,
            Notes = DeliveryFailures.Shorten($"{DeliveryFailures.ChannelWord(message.Channel)} {how}: {what} to {message.Recipient} (message {message.Id})", 2000),
        };
        db.Interactions.Add(interaction);
        return interaction;
    }
}
