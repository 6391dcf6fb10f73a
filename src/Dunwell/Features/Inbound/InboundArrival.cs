using Dunwell.Data;
using Dunwell.Domain.Accounts;
using NodaTime;

namespace Dunwell.Features.Inbound;

/// <summary>
/// A customer's message as a channel delivered it (an IMAP poll, the SMS webhook, later the portal), before it is
/// matched and recorded. Every channel hands one of these to <see cref="RecordInbound"/>, so all are treated alike.
/// </summary>
/// <param name="Channel">Email, SMS or portal.</param>
/// <param name="SourceKey">The channel's own unique id for it ("sms:SM123", "imap:box:7:42"): the same key is recorded once.</param>
/// <param name="From">The sender's address or number as given.</param>
/// <param name="To">The address or number it was sent to, which may name the creditor.</param>
/// <param name="Subject">An email's subject.</param>
/// <param name="Body">The text as written (card numbers are masked before it is stored).</param>
/// <param name="ReceivedAt">When it arrived: the response deadline counts from it.</param>
public sealed record InboundArrival(InteractionChannel Channel, string SourceKey, string From, string? To, string? Subject, string Body, Instant ReceivedAt)
{
    /// <summary>An email's Message-ID.</summary>
    public string? MessageIdHeader { get; init; }

    /// <summary>The Message-IDs an email answers (In-Reply-To, then References).</summary>
    public IReadOnlyList<string> InReplyTo { get; init; } = [];

    /// <summary>For a delivery report (a bounce): the Message-ID of the message that did not arrive, and why.</summary>
    public string? BounceOf { get; init; }

    public string? BounceReason { get; init; }

    /// <summary>Set when the channel already knows a person must look at it (a delivery report): it goes to triage unmatched.</summary>
    public string? TriageReason { get; init; }
}

public abstract record InboundOutcome
{
    public sealed record Recorded(InboundMessage Message) : InboundOutcome;

    /// <summary>Seen before: nothing new was written.</summary>
    public sealed record AlreadyRecorded(long MessageId) : InboundOutcome;
}
