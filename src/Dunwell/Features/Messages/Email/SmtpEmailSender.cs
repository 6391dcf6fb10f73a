using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Dunwell.Domain.Compliance;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Dunwell.Features.Messages.Email;

/// <summary>
/// Email over SMTP with MailKit: one connection per message, both a text and an HTML part, a Message-ID derived from the
/// idempotency key (the same message always carries the same id, so a copy that did go out can be recognised). What
/// the server answered is definitive: a 4xx is <see cref="SendResult.Transient"/>, a 5xx <see cref="SendResult.Rejected"/>.
/// Without an answer it depends on how far it got: before any of the body was written nothing can have been
/// delivered (Transient); once the body was on its way the server may have taken it (<see cref="SendResult.Unknown"/>).
/// </summary>
public sealed class SmtpEmailSender(IOptions<EmailOptions> options) : IChannelSender
{
    public ContactChannel Channel => ContactChannel.Email;

    public async Task<SendOutcome> SendAsync(Outgoing message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Configured)
        {
            return new SendOutcome(SendResult.Transient, null, "Email is not configured (Dunwell:Email:Host and FromAddress).");
        }

        var mime = Build(message, settings);
        var progress = new BodyProgress();
        using var client = new SmtpClient { Timeout = settings.TimeoutSeconds * 1000 };
        try
        {
            await client.ConnectAsync(settings.Host!, settings.Port, Socket(settings.Tls), cancellationToken);
            if (!string.IsNullOrEmpty(settings.User))
            {
                await client.AuthenticateAsync(settings.User, settings.Password ?? "", cancellationToken);
            }

            var answer = await client.SendAsync(mime, cancellationToken, progress);
            await QuitQuietlyAsync(client);
            return new SendOutcome(SendResult.Accepted, mime.MessageId, $"Accepted by {settings.Host}:{settings.Port}: {answer}");
        }
        catch (SmtpCommandException e)
        {
            // The server answered, so what it said is what happened.
            var code = (int)e.StatusCode;
            var result = code >= 500 ? SendResult.Rejected : SendResult.Transient;
            return new SendOutcome(result, null, $"{Step(e.ErrorCode)} refused with {code}: {e.Message}");
        }
        catch (AuthenticationException e)
        {
            return new SendOutcome(SendResult.Transient, null, $"The SMTP server refused the credentials: {e.Message}");
        }
        catch (Exception e) when (e is IOException or SocketException or TimeoutException or SmtpProtocolException or ServiceNotConnectedException
            or SslHandshakeException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return progress.Started
                ? new SendOutcome(SendResult.Unknown, mime.MessageId,
                    $"The connection to {settings.Host}:{settings.Port} failed after {progress.Bytes} bytes of the message were sent, before the server confirmed it ({e.GetType().Name}: {e.Message}); it may have been delivered.")
                : new SendOutcome(SendResult.Transient, null, $"Could not hand it to {settings.Host}:{settings.Port} ({e.GetType().Name}: {e.Message}); nothing was sent.");
        }
    }

    /// <summary>The same key gives the same id: <c>&lt;dunwell.HASH@domain&gt;</c>, the domain of the From address.</summary>
    public static string MessageIdFor(string idempotencyKey, string fromAddress)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..32];
        var at = fromAddress.LastIndexOf('@');
        var domain = at >= 0 && at < fromAddress.Length - 1 ? fromAddress[(at + 1)..] : "dunwell.invalid";
        return $"dunwell.{hash}@{domain}";
    }

    internal static MimeMessage Build(Outgoing message, EmailOptions settings)
    {
        var fromAddress = string.IsNullOrWhiteSpace(message.FromAddress) ? settings.FromAddress! : message.FromAddress;
        var fromName = string.IsNullOrWhiteSpace(message.FromAddress) ? settings.FromName : message.FromName ?? settings.FromName;
        var body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html ?? PlainHtml(message.Text) };
        var mime = new MimeMessage
        {
            Subject = message.Subject ?? "",
            Body = body.ToMessageBody(),
            MessageId = MessageIdFor(message.IdempotencyKey, fromAddress),
        };
        mime.From.Add(new MailboxAddress(fromName ?? "", fromAddress));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Headers.Add("Content-Language", message.Language);
        return mime;
    }

    /// <summary>Every email has an HTML part; an agent's plain words get a minimal one with the same text.</summary>
    private static string PlainHtml(string text) =>
        "<!DOCTYPE html><html><body><p>" + System.Net.WebUtility.HtmlEncode(text).Replace("\n\n", "</p><p>", StringComparison.Ordinal).Replace("\n", "<br>", StringComparison.Ordinal) + "</p></body></html>";

    private static SecureSocketOptions Socket(EmailTls tls) => tls switch
    {
        EmailTls.None => SecureSocketOptions.None,
        EmailTls.Ssl => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };

    private static string Step(SmtpErrorCode code) => code switch
    {
        SmtpErrorCode.SenderNotAccepted => "The sender address was",
        SmtpErrorCode.RecipientNotAccepted => "The recipient address was",
        SmtpErrorCode.MessageNotAccepted => "The message was",
        _ => "The command was",
    };

    private static async Task QuitQuietlyAsync(SmtpClient client)
    {
        try
        {
            await client.DisconnectAsync(quit: true, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or SmtpCommandException or TimeoutException)
        {
            // Already accepted: a failed goodbye changes nothing.
        }
    }

    /// <summary>Counts the bytes of the message body written to the server: once any are, the outcome can be unknown.</summary>
    private sealed class BodyProgress : ITransferProgress
    {
        public long Bytes { get; private set; }

        public bool Started => Bytes > 0;

        public void Report(long bytesTransferred, long totalSize) => Bytes = bytesTransferred;

        public void Report(long bytesTransferred) => Bytes = bytesTransferred;
    }
}
