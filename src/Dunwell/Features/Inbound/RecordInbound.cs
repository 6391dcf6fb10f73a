using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Inbound;
using Dunwell.Domain.Privacy;
using Dunwell.Web;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Inbound;

/// <summary>
/// Records a customer's message once, whatever channel brought it: card numbers masked before anything is stored,
/// matched to an account (on its timeline as an inbound interaction, with a reply task due by the creditor's response
/// time) or left in triage. A bare STOP by SMS opts the number out at once; every other request in the words is a flag
/// for the agent. The portal calls this too.
/// </summary>
public static class RecordInbound
{
    public const string Actor = "system:inbound";

    public static async Task<InboundOutcome> RunAsync(DunwellDb db, InboundArrival arrival, Instant now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arrival);
        if (await SeenAsync(db, arrival, cancellationToken) is { } seen)
        {
            return new InboundOutcome.AlreadyRecorded(seen);
        }

        var from = InboundMatching.NormaliseSender(arrival.Channel, arrival.From);
        var bounced = await BouncedMessageAsync(db, arrival, cancellationToken);
        var match = bounced is { } returned
            ? new InboundMatch(returned.CreditorId, returned.DebtorId, null, null, null)
            : arrival.TriageReason is { } reason
            ? new InboundMatch(null, null, null, null, reason)
            : await InboundMatching.MatchAsync(db, arrival, from, cancellationToken);
        var subject = Clip(CardNumbers.MaskOrNull(arrival.Subject), 500);
        var body = Clip(CardNumbers.Mask(arrival.Body), 20_000)!;
        var message = new InboundMessage
        {
            SourceKey = arrival.SourceKey,
            Channel = arrival.Channel,
            State = InboundState.Triage,
            ReceivedAt = arrival.ReceivedAt,
            RecordedAt = now,
            From = Clip(from, 320)!,
            To = Clip(arrival.To?.Trim(), 320),
            Subject = subject,
            Body = body,
            MessageIdHeader = Clip(arrival.MessageIdHeader, 500),
            InReplyTo = arrival.InReplyTo.Count == 0 ? null : Clip(string.Join(' ', arrival.InReplyTo), 4000),
            CreditorId = match.CreditorId,
            DebtorId = match.DebtorId,
            TriageReason = match.TriageReason,
            Flags = InboundWords.Flags($"{subject}\n{body}"),
            OptedOut = arrival.Channel == InteractionChannel.Sms && InboundWords.IsStopKeyword(body),
        };

        // The message, its opt-out, interaction and task are written together or not at all; a second writer of the
        // same message (two pollers, a replayed webhook) meets the unique key and writes nothing.
        var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            db.InboundMessages.Add(message);
            AuditLog.Add(db, Actor, "inbound.receive", $"inbound:{arrival.SourceKey}", now, detail: $"{arrival.Channel} from {message.From}");
            await db.SaveChangesAsync(cancellationToken);
            if (message.OptedOut)
            {
                await OptOutAsync(db, message, now, cancellationToken);
            }

            if (bounced is { } failed)
            {
                // The report is the outbox's news: the message it returns is marked bounced, on the contact and the timeline.
                message.State = InboundState.Recorded;
                message.AccountId = failed.AccountId;
                message.MatchedBy = "bounce";
                message.TriageReason = null;
                await Messages.DeliveryFailures.RecordBounceAsync(db, failed.OutboxId, arrival.BounceReason ?? "Bounced.", arrival.ReceivedAt, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
            }
            else if (match.AccountId is { } accountId)
            {
                await AttachAsync(db, message, accountId, match.MatchedBy!, Actor, now, cancellationToken);
            }

            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }
        catch (DbUpdateException) when (transaction is not null)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            if (await SeenAsync(db, arrival, cancellationToken) is { } other)
            {
                return new InboundOutcome.AlreadyRecorded(other);
            }

            throw;
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
        }

        return new InboundOutcome.Recorded(message);
    }

    /// <summary>
    /// Puts a message on an account: the inbound interaction on its timeline and the reply task, due by the creditor's
    /// response time counted from when the message arrived. Used when a message is matched and when triage assigns one.
    /// </summary>
    public static async Task AttachAsync(DunwellDb db, InboundMessage message, long accountId, string matchedBy, string actor, Instant now, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.Where(a => a.Id == accountId)
            .Select(a => new { a.Id, a.DebtorId, a.CreditorId, a.Creditor.TimeZone, a.Creditor.JurisdictionPack }).SingleAsync(cancellationToken);
        var kind = message.Channel == InteractionChannel.Email ? ContactKind.Email : ContactKind.Phone;
        var contactId = await db.DebtorContacts.Where(c => c.DebtorId == account.DebtorId && c.Kind == kind && c.Value == message.From)
            .Select(c => (long?)c.Id).FirstOrDefaultAsync(cancellationToken);
        var interaction = new Interaction
        {
            AccountId = account.Id,
            DebtorId = account.DebtorId,
            Channel = message.Channel,
            Direction = InteractionDirection.Inbound,
            OccurredAt = message.ReceivedAt,
            RecordedAt = now,
            Author = actor,
            Outcome = OutcomeCode.None, // what the words ask for is flagged for a person, never recorded as decided
            Conversation = false,
            Notes = Clip(TimelineText(message), 4000),
            ContactId = contactId,
        };
        db.Interactions.Add(interaction);
        AuditLog.Add(db, actor, AuditLog.Actions.InteractionCreate, $"account:{account.Id}", now, detail: $"{message.Channel} inbound message {message.Id}");
        await db.SaveChangesAsync(cancellationToken);

        WorkTask? task = null;
        if (!(message.OptedOut && message.Flags == InboundSignals.Stop))
        {
            var policy = (await CreditorPolicies.PolicyStore.CurrentAsync(db, account.CreditorId, cancellationToken)).Policy;
            var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(account.TimeZone) ?? DateTimeZone.Utc;
            task = new WorkTask
            {
                AccountId = account.Id,
                Kind = WorkTaskKind.InboundReply,
                DueAt = ResponseDeadline.Due(message.ReceivedAt, zone, policy.ResponseTimes, BusinessCalendar.For(account.JurisdictionPack)),
                Title = Clip($"Reply to the customer's {ChannelWord(message.Channel)}"
                    + (message.Flags == InboundSignals.None ? "" : $" (flagged: {InboundWords.Describe(message.Flags)})"), 200)!,
                Note = Clip(message.Subject is null ? message.Body : $"{message.Subject}: {message.Body}", 2000),
                Cause = $"inbound:{message.Id}",
                CreatedAt = now,
            };
            db.Tasks.Add(task);
            await db.SaveChangesAsync(cancellationToken);
        }

        message.State = InboundState.Recorded;
        message.AccountId = account.Id;
        message.DebtorId = account.DebtorId;
        message.CreditorId = account.CreditorId;
        message.MatchedBy = matchedBy;
        message.TriageReason = null;
        message.InteractionId = interaction.Id;
        message.TaskId = task?.Id;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The interaction's notes: who wrote, what they asked for, and their words.</summary>
    public static string TimelineText(InboundMessage message)
    {
        var lead = $"{char.ToUpperInvariant(ChannelWord(message.Channel)[0])}{ChannelWord(message.Channel)[1..]} from {message.From}";
        var flags = message.Flags == InboundSignals.None ? "" : $" Flagged for the agent: {InboundWords.Describe(message.Flags)}.";
        var optOut = message.OptedOut ? " The number was opted out of texts at once, as the customer asked (STOP)." : "";
        var subject = message.Subject is null ? "" : $" Subject: {message.Subject}.";
        return $"{lead}.{optOut}{flags}{subject} {message.Body}";
    }

    public static string ChannelWord(InteractionChannel channel) => channel switch
    {
        InteractionChannel.Email => "email",
        InteractionChannel.Sms => "text message",
        InteractionChannel.Portal => "portal message",
        _ => "message",
    };

    /// <summary>STOP by SMS: every phone contact with the sender's number is opted out now, for the creditor it was sent to when known.</summary>
    private static async Task OptOutAsync(DunwellDb db, InboundMessage message, Instant now, CancellationToken cancellationToken)
    {
        var creditorId = message.CreditorId;
        var contacts = await db.DebtorContacts
            .Where(c => c.Kind == ContactKind.Phone && c.Value == message.From && c.Consent != ConsentState.OptedOut)
            .Where(c => creditorId == null || db.Debtors.Any(d => d.Id == c.DebtorId && d.CreditorId == creditorId))
            .ToListAsync(cancellationToken);
        foreach (var contact in contacts)
        {
            contact.Consent = ConsentState.OptedOut;
            contact.ConsentChangedAt = message.ReceivedAt;
            AuditLog.Add(db, Actor, AuditLog.Actions.DebtorUpdate, $"debtor:{contact.DebtorId}", now, detail: $"Opted out {contact.Value} by STOP (inbound message {message.Id})");
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private sealed record Returned(long OutboxId, long AccountId, long DebtorId, long CreditorId);

    /// <summary>The outbox message a delivery report returns, by the Message-ID it was sent with.</summary>
    private static async Task<Returned?> BouncedMessageAsync(DunwellDb db, InboundArrival arrival, CancellationToken cancellationToken)
    {
        if (arrival.BounceOf is not { } id)
        {
            return null;
        }

        string[] ids = [id, $"<{id}>"];
        return await db.Outbox.Where(m => m.ProviderMessageId != null && ids.Contains(m.ProviderMessageId))
            .Join(db.Accounts, m => m.AccountId, a => a.Id, (m, a) => new Returned(m.Id, a.Id, a.DebtorId, a.CreditorId))
            .FirstOrDefaultAsync(cancellationToken);
    }

    private static async Task<long?> SeenAsync(DunwellDb db, InboundArrival arrival, CancellationToken cancellationToken)
    {
        var byKey = await db.InboundMessages.IgnoreQueryFilters().Where(m => m.SourceKey == arrival.SourceKey).Select(m => (long?)m.Id).FirstOrDefaultAsync(cancellationToken);
        if (byKey is not null || arrival.MessageIdHeader is null)
        {
            return byKey;
        }

        // The same email under a new key: the mailbox renumbered its messages (a new UIDVALIDITY).
        var from = InboundMatching.NormaliseSender(arrival.Channel, arrival.From);
        return await db.InboundMessages.IgnoreQueryFilters()
            .Where(m => m.MessageIdHeader == arrival.MessageIdHeader && m.From == from && m.Channel == arrival.Channel)
            .Select(m => (long?)m.Id).FirstOrDefaultAsync(cancellationToken);
    }

    private static string? Clip(string? text, int max) => text is null || text.Length <= max ? text : text[..(max - 1)] + "…";
}
