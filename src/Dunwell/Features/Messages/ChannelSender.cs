using Dunwell.Domain.Compliance;

namespace Dunwell.Features.Messages;

public enum SendResult
{
    /// <summary>The server or provider took it (an SMTP 250 after DATA, an SMS id, a place in a print batch).</summary>
    Accepted,

    /// <summary>Refused before anything could have gone out (connection refused, 4xx before DATA, HTTP 429/503): retry later.</summary>
    Transient,

    /// <summary>Refused for good (an address the server rejects, an invalid number): do not retry.</summary>
    Rejected,

    /// <summary>It may or may not have gone out (a timeout after DATA, a dropped connection after the request was sent).
    /// Never retried automatically on a channel without idempotency: parked for a person.</summary>
    Unknown,
}

/// <summary>What one attempt came to, with the provider's id when it gave one and the evidence in words.</summary>
public sealed record SendOutcome(SendResult Result, string? ProviderMessageId, string Detail);

/// <summary>One message as a channel delivers it: rendered, addressed, from the creditor's identity.</summary>
public sealed record Outgoing(
    long MessageId,
    string IdempotencyKey,
    long AccountId,
    long CreditorId,
    string To,
    string? FromName,
    string? FromAddress,
    string? Subject,
    string Text,
    string? Html,
    string Language);

/// <summary>Delivers messages on one channel (email over SMTP, SMS through the provider, letters into print batches).</summary>
public interface IChannelSender
{
    ContactChannel Channel { get; }

    Task<SendOutcome> SendAsync(Outgoing message, CancellationToken cancellationToken);
}
