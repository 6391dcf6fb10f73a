using Dunwell.Domain.Accounts;
using NodaTime;

namespace Dunwell.Data;

public enum InboundState
{
    /// <summary>Matched to an account: on its timeline, with a reply task.</summary>
    Recorded,

    /// <summary>Not matched, or matched to more than one account: waits in the triage queue for a person to assign it.</summary>
    Triage,
}

/// <summary>
/// A message a customer sent (an email, an SMS, later a portal message), as received, once. The body is stored with
/// card numbers masked. Its creditor is known when the address it was sent to, or the account it matched, says so;
/// until then only a caller acting for every creditor sees it.
/// </summary>
public sealed class InboundMessage
{
    public long Id { get; set; }

    /// <summary>Where it came from, unique: "imap:box:uidvalidity:uid", "sms:MessageSid", so it is recorded once however often it is seen.</summary>
    [NotFreeText("A key Dunwell made from the provider's ids, matched exactly.")]
    public required string SourceKey { get; set; }

    public InteractionChannel Channel { get; set; }

    public InboundState State { get; set; }

    public Instant ReceivedAt { get; set; }

    public Instant RecordedAt { get; set; }

    /// <summary>The sender's address (lower-case email) or number (E.164 when it parses).</summary>
    [NotFreeText("An address or number, matched exactly against contacts.")]
    public required string From { get; set; }

    [NotFreeText("An address or number, matched exactly against creditors' senders.")]
    public string? To { get; set; }

    [FreeText]
    public string? Subject { get; set; }

    [FreeText]
    public required string Body { get; set; }

    /// <summary>The email's own Message-ID, to recognise it again if the mailbox renumbers its messages.</summary>
    [NotFreeText("An id the sender's mail system gave, matched exactly.")]
    public string? MessageIdHeader { get; set; }

    /// <summary>The Message-IDs it answers (In-Reply-To and References), separated by spaces.</summary>
    [NotFreeText("Ids mail systems gave, matched exactly.")]
    public string? InReplyTo { get; set; }

    public long? CreditorId { get; set; }

    public long? DebtorId { get; set; }

    public long? AccountId { get; set; }

    /// <summary>How it was matched: reply-header, address, number, reference, assigned.</summary>
    [NotFreeText("A code from a fixed list, written by Dunwell.")]
    public string? MatchedBy { get; set; }

    /// <summary>Why it waits in triage, in words.</summary>
    [NotFreeText("Words Dunwell wrote.")]
    public string? TriageReason { get; set; }

    /// <summary>What its words ask for (Domain.Inbound.InboundSignals), for the agent.</summary>
    public Domain.Inbound.InboundSignals Flags { get; set; }

    /// <summary>A bare STOP on SMS opted the sender's number out when it arrived.</summary>
    public bool OptedOut { get; set; }

    public long? InteractionId { get; set; }

    public long? TaskId { get; set; }

    [NotFreeText("Who did it: a user name or API key name.")]
    public string? AssignedBy { get; set; }

    public Instant? AssignedAt { get; set; }
}

/// <summary>Where an IMAP poll got to in a mailbox: messages up to <see cref="LastUid"/> of this UIDVALIDITY are recorded.</summary>
public sealed class InboundMailboxCursor
{
    /// <summary>user@host/folder.</summary>
    [NotFreeText("A mailbox name from configuration.")]
    public required string Mailbox { get; set; }

    public long UidValidity { get; set; }

    public long LastUid { get; set; }
}

/// <summary>
/// An agent's answer to a customer's message, queued in the outbox with the reply purpose: the rules allow it where they
/// allow answering the consumer (once, to their message), not only where collection is allowed.
/// </summary>
public sealed class InboundReply
{
    public long Id { get; set; }

    public long InboundMessageId { get; set; }

    public long AccountId { get; set; }

    public long OutboxMessageId { get; set; }

    [FreeText]
    public string? Subject { get; set; }

    [FreeText]
    public required string Text { get; set; }

    [NotFreeText("Who did it: a user name or API key name.")]
    public required string RepliedBy { get; set; }

    public Instant CreatedAt { get; set; }
}
