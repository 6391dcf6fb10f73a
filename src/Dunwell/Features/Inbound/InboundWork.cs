using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Compliance;
using Dunwell.Features.Compliance;
using Dunwell.Web;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Inbound;

public abstract record InboundWorkOutcome
{
    public sealed record Done(InboundMessage Message, OutboxMessage? Reply = null) : InboundWorkOutcome;

    public sealed record NotFound(string What, long Id) : InboundWorkOutcome;

    public sealed record Conflict(string Detail) : InboundWorkOutcome;

    public sealed record Invalid(string Field, string Message) : InboundWorkOutcome;
}

/// <summary>What people do with inbound messages: assign one from triage to an account, and answer one.</summary>
public static class InboundWork
{
    /// <summary>The outbox template key of an agent's answer to a customer's message: the outbox screens it as a reply.</summary>
    public const string ReplyTemplateKey = "inbound-reply";

    /// <summary>
    /// A message from triage, put on an account by a person: recorded exactly as a matched one (interaction, reply task
    /// due from when it arrived). Only an account the caller may see, and of the creditor the message was sent to.
    /// </summary>
    public static async Task<InboundWorkOutcome> AssignAsync(DunwellDb db, long messageId, long accountId, string actor, Instant now, CancellationToken cancellationToken)
    {
        var message = await db.InboundMessages.SingleOrDefaultAsync(m => m.Id == messageId, cancellationToken);
        if (message is null)
        {
            return new InboundWorkOutcome.NotFound("inbound message", messageId);
        }

        var account = await db.Accounts.Where(a => a.Id == accountId).Select(a => new { a.Id, a.CreditorId }).SingleOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            return new InboundWorkOutcome.Invalid("accountId", $"Account {accountId} was not found.");
        }

        if (message.State != InboundState.Triage)
        {
            return new InboundWorkOutcome.Conflict($"Inbound message {messageId} is already on account {message.AccountId}.");
        }

        if (message.CreditorId is { } creditorId && creditorId != account.CreditorId)
        {
            return new InboundWorkOutcome.Invalid("accountId", "The message was sent to another creditor: assign it to one of that creditor's accounts.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            message.AssignedBy = actor;
            message.AssignedAt = now;
            await RecordInbound.AttachAsync(db, message, account.Id, "assigned", actor, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (ApiProblems.IsUniqueViolation(e))
        {
            return new InboundWorkOutcome.Conflict($"Inbound message {messageId} was assigned by someone else just now.");
        }

        return new InboundWorkOutcome.Done(message);
    }

    /// <summary>
    /// Queues an agent's answer to a customer's message in the outbox, on the channel and to the address they wrote
    /// from, marked as a reply so the rules' exception for answering the consumer applies (once, to this message); the
    /// reply task is done. One reply per message.
    /// </summary>
    public static async Task<InboundWorkOutcome> ReplyAsync(
        DunwellDb db, long messageId, string? text, string? subject, string actor, Instant now, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new InboundWorkOutcome.Invalid("text", "Write the reply.");
        }

        if (text.Length > 4000 || subject is { Length: > 500 })
        {
            return new InboundWorkOutcome.Invalid(text.Length > 4000 ? "text" : "subject", "Keep a reply under 4000 characters and its subject under 500.");
        }

        var message = await db.InboundMessages.SingleOrDefaultAsync(m => m.Id == messageId, cancellationToken);
        if (message is null)
        {
            return new InboundWorkOutcome.NotFound("inbound message", messageId);
        }

        if (message.State != InboundState.Recorded || message.AccountId is not { } accountId)
        {
            return new InboundWorkOutcome.Conflict("Assign the message to an account before replying to it.");
        }

        if (message.Channel is not (InteractionChannel.Email or InteractionChannel.Sms))
        {
            return new InboundWorkOutcome.Conflict($"Replies to a {RecordInbound.ChannelWord(message.Channel)} are not sent through the outbox.");
        }

        if (await db.InboundReplies.AnyAsync(r => r.InboundMessageId == messageId, cancellationToken))
        {
            return new InboundWorkOutcome.Conflict($"Inbound message {messageId} has been answered already; write again as a new message.");
        }

        var contactId = message.InteractionId is { } interactionId
            ? await db.Interactions.Where(i => i.Id == interactionId).Select(i => i.ContactId).SingleOrDefaultAsync(cancellationToken)
            : null;
        // The agent's own words go out as written, with the blocks the pack requires, once the linter lets them.
        var language = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.Debtor.Language).SingleAsync(cancellationToken) is { } spoken
            && Domain.Messages.LintContext.LanguageOf(spoken) is not null ? spoken : "en";
        var (body, lint) = await Messages.Outbox.OutboxLint.AgentTextAsync(
            db, accountId, text.Trim(), ContactQuestion.ChannelOf(message.Channel)!.Value, language, now, cancellationToken);
        if (lint.Blocks)
        {
            return new InboundWorkOutcome.Invalid("text", "The message linter blocked this reply: "
                + string.Join(" ", lint.Findings.Where(f => f.Severity == Domain.Messages.LintSeverity.Block).Select(f => f.Explanation)));
        }

        var replySubject = subject?.Trim() is { Length: > 0 } given ? given : message.Subject is { } asked ? $"Re: {asked}" : null;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var outbox = new OutboxMessage
        {
            AccountId = accountId,
            Channel = message.Channel,
            TemplateKey = ReplyTemplateKey,
            PreRendered = true,
            Subject = message.Channel == InteractionChannel.Email ? replySubject ?? "About your message" : null,
            BodyText = body,
            Language = language,
            QueuedBy = actor,
            SendAfter = now,
            State = OutboxState.Queued,
            IdempotencyKey = $"reply:inbound:{message.Id}",
            ContactId = contactId,
            CreatedAt = now,
        };
        Messages.Outbox.OutboxLint.Keep(outbox, lint);
        db.Outbox.Add(outbox);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            db.InboundReplies.Add(new InboundReply
            {
                InboundMessageId = message.Id,
                AccountId = accountId,
                OutboxMessageId = outbox.Id,
                Subject = replySubject,
                Text = text.Trim(),
                RepliedBy = actor,
                CreatedAt = now,
            });
            if (message.TaskId is { } taskId && await db.Tasks.SingleOrDefaultAsync(t => t.Id == taskId && t.ClosedAt == null, cancellationToken) is { } task)
            {
                task.ClosedAt = now;
                task.ClosedBy = actor;
            }

            AuditLog.Add(db, actor, "inbound.reply", $"account:{accountId}", now, detail: $"Reply to inbound message {message.Id} queued as outbox message {outbox.Id}");
            await db.SaveChangesAsync(cancellationToken);
            await OutboxGate.ScreenAsync(db, [outbox], now, cancellationToken); // the decision at queue time, as a reply
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (ApiProblems.IsUniqueViolation(e))
        {
            return new InboundWorkOutcome.Conflict($"Inbound message {messageId} was answered by someone else just now.");
        }

        return new InboundWorkOutcome.Done(message, outbox);
    }

    /// <summary>
    /// The question the outbox asks for a queued reply: a response to the consumer's own message, sent in answer to the
    /// message it replies to, so the rules allow it once where they allow answering (12 CFR 1006.6(b)(4) and (e), the
    /// packs' IsOneReplyTo).
    /// </summary>
    public static async Task<(ContactPurpose Purpose, Instant? InResponseTo)> ScreeningAsync(DunwellDb db, OutboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.TemplateKey != ReplyTemplateKey)
        {
            return (ContactPurpose.Collection, null);
        }

        var asked = await db.InboundReplies.Where(r => r.OutboxMessageId == message.Id)
            .Join(db.InboundMessages, r => r.InboundMessageId, m => m.Id, (r, m) => (Instant?)m.ReceivedAt)
            .SingleOrDefaultAsync(cancellationToken);
        return (ContactPurpose.ResponseToConsumerRequest, asked);
    }
}
