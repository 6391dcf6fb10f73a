using Dunwell.Domain.Accounts;
using NodaTime;

namespace Dunwell.Data;

/// <summary>The form a template is written for: an email (subject, HTML and plain text), a text message or a letter.</summary>
public enum TemplateChannel
{
    Email,
    Sms,
    Letter,
}

/// <summary>
/// One saved version of a message template. Versions are never edited: a save adds the next version, and a message
/// records the version it was rendered from. A template is identified by purpose, channel, language and account kind;
/// <see cref="CreditorId"/> null is the default set every creditor uses until it saves its own.
/// </summary>
public sealed class TemplateVersion : IAppendOnly
{
    public long Id { get; init; }

    /// <summary>The creditor whose own wording this is; null for the default set.</summary>
    public long? CreditorId { get; init; }

    /// <summary>What the message is for: "pre-due-reminder", "arrangement-recap", "validation-notice"...</summary>
    [NotFreeText("A code from a fixed list, checked where it enters.")]
    public required string Purpose { get; init; }

    public TemplateChannel Channel { get; init; }

    /// <summary>A language tag: "en", "es", "de".</summary>
    [NotFreeText("A language code, checked where it enters.")]
    public required string Language { get; init; }

    /// <summary>Consumer or commercial wording.</summary>
    public AccountKind Variant { get; init; }

    /// <summary>1 for the first save of this template, then 2, 3...</summary>
    public int Version { get; init; }

    /// <summary>The email subject (Liquid); null for SMS and letters.</summary>
    [FreeText]
    public string? Subject { get; init; }

    /// <summary>The plain text (Liquid): the email's text part, the SMS, or the letter's body.</summary>
    [FreeText]
    public required string Body { get; init; }

    /// <summary>The email's HTML part (Liquid, values HTML-encoded when rendered); null for SMS and letters.</summary>
    [FreeText]
    public string? Html { get; init; }

    [NotFreeText("Who did it: a user name or API key name.")]
    public required string SavedBy { get; init; }

    public Instant SavedAt { get; init; }
}
