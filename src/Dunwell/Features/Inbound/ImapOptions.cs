namespace Dunwell.Features.Inbound;

/// <summary>
/// The mailbox customers' emails arrive in (<c>Dunwell:Inbound:Imap</c>). The password comes from the environment
/// (<c>Dunwell__Inbound__Imap__Password</c>), never from a file in the repository.
/// </summary>
public sealed class ImapOptions
{
    public const string Section = "Dunwell:Inbound:Imap";

    public string? Host { get; set; }

    public int Port { get; set; } = 993;

    /// <summary>ssl (TLS from the start), starttls, auto (by port) or none (loopback test servers only).</summary>
    public string Tls { get; set; } = "ssl";

    public string? User { get; set; }

    public string? Password { get; set; }

    public string Folder { get; set; } = "INBOX";

    /// <summary>
    /// When set, only mail addressed to one of these is Dunwell's; everything else in the folder is left alone (a shared
    /// mailbox). Empty: every message in the folder is a customer's.
    /// </summary>
    public IReadOnlyList<string> Recipients { get; set; } = [];

    /// <summary>How often <c>serve</c> polls, in seconds.</summary>
    public int PollSeconds { get; set; } = 60;

    public bool Configured => !string.IsNullOrWhiteSpace(Host) && !string.IsNullOrWhiteSpace(User);

    public static ImapOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<ImapOptions>() ?? new ImapOptions();
}
