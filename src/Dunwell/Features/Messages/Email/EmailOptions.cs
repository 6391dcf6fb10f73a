namespace Dunwell.Features.Messages.Email;

public enum EmailTls
{
    /// <summary>Plain SMTP (a relay on loopback only).</summary>
    None,

    /// <summary>Plain connection upgraded with STARTTLS, which the server must offer (port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    Ssl,
}

/// <summary>
/// The SMTP server email goes through (configuration section <c>Dunwell:Email</c>) and the From identity used when the
/// creditor has none of its own (the creditor's SenderName and SenderEmail win).
/// </summary>
public sealed class EmailOptions
{
    public const string Section = "Dunwell:Email";

    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public EmailTls Tls { get; set; } = EmailTls.StartTls;

    public string? User { get; set; }

    /// <summary>A secret: set it in the environment (<c>Dunwell__Email__Password</c>), never in a committed file.</summary>
    public string? Password { get; set; }

    public string? FromName { get; set; }

    public string? FromAddress { get; set; }

    /// <summary>How long to wait for the server at each step before giving up on this attempt.</summary>
    public int TimeoutSeconds { get; set; } = 60;

    public bool Configured => !string.IsNullOrWhiteSpace(Host) && !string.IsNullOrWhiteSpace(FromAddress);
}
