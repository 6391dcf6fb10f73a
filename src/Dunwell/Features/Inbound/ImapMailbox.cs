using Dunwell.Data;
using Dunwell.Domain.Accounts;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using NodaTime;

namespace Dunwell.Features.Inbound;

public sealed record PollSummary(int Seen, int Recorded, int AlreadyRecorded, int Ignored);

/// <summary>
/// Reads new mail from the IMAP folder and records each message once. The mailbox is opened read-only and nothing in it
/// is changed; Dunwell remembers how far it got (UIDVALIDITY and the last UID) after each message, and each message's
/// key is unique, so a second poll, a second node or a crash part-way records nothing twice and skips nothing.
/// </summary>
public static class ImapMailbox
{
    public static async Task<PollSummary> PollAsync(DunwellDb db, ImapOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Configured)
        {
            throw new InvalidOperationException($"Set {ImapOptions.Section}:Host and :User (and the password in the environment) to poll a mailbox.");
        }

        using var client = new ImapClient();
        await client.ConnectAsync(options.Host!, options.Port, Security(options.Tls), cancellationToken);
        await client.AuthenticateAsync(options.User!, options.Password ?? "", cancellationToken);
        var folder = string.Equals(options.Folder, "INBOX", StringComparison.OrdinalIgnoreCase)
            ? client.Inbox
            : await client.GetFolderAsync(options.Folder, cancellationToken);
        await folder.OpenAsync(FolderAccess.ReadOnly, cancellationToken);

        var box = $"{options.User}@{options.Host}/{folder.FullName}";
        var cursor = await db.InboundMailboxCursors.SingleOrDefaultAsync(c => c.Mailbox == box, cancellationToken);
        if (cursor is null)
        {
            cursor = new InboundMailboxCursor { Mailbox = box };
            db.InboundMailboxCursors.Add(cursor);
        }

        if (cursor.UidValidity != folder.UidValidity)
        {
            // The server renumbered the folder: read it all again; the Message-ID check keeps old messages from repeating.
            cursor.UidValidity = folder.UidValidity;
            cursor.LastUid = 0;
        }

        await db.SaveChangesAsync(cancellationToken);
        // The range ends at the last UID the folder has given out, never at "*" or the largest UID: some servers walk an
        // open-ended range one UID at a time. UIDs already read are dropped again below in any case.
        var first = (uint)cursor.LastUid + 1;
        var last = folder.UidNext is { } next && next.Id > 1 ? next.Id - 1 : (uint?)null;
        if (last is { } end && end < first)
        {
            await client.DisconnectAsync(true, cancellationToken);
            return new PollSummary(0, 0, 0, 0);
        }

        SearchQuery query = last is { } upTo ? SearchQuery.Uids(new UniqueIdRange(new UniqueId(first), new UniqueId(upTo))) : SearchQuery.All;
        if (options.Recipients.Count > 0)
        {
            // A shared mailbox: ask the server for Dunwell's mail only, rather than reading every message's envelope.
            query = query.And(options.Recipients.Select(r => (SearchQuery)SearchQuery.ToContains(r)).Aggregate((a, b) => a.Or(b)));
        }

        var uids = (await folder.SearchAsync(query, cancellationToken))
            .Where(u => u.Id > cursor.LastUid).ToList();
        if (uids.Count == 0)
        {
            await client.DisconnectAsync(true, cancellationToken);
            return new PollSummary(0, 0, 0, 0);
        }

        var summaries = await folder.FetchAsync(uids, MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.InternalDate, cancellationToken);
        var wanted = options.Recipients.Select(r => r.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        int recorded = 0, again = 0, ignored = 0;
        foreach (var summary in summaries.OrderBy(s => s.UniqueId.Id))
        {
            var to = Recipients(summary.Envelope).ToList();
            var mine = wanted.Count == 0 ? to.FirstOrDefault() : to.FirstOrDefault(wanted.Contains);
            if (wanted.Count > 0 && mine is null)
            {
                ignored++;
            }
            else
            {
                var message = await folder.GetMessageAsync(summary.UniqueId, cancellationToken);
                var now = clock.GetUtcNow();
                var received = summary.InternalDate is { } date && date < now ? date : now;
                var arrival = ArrivalOf(message, $"imap:{box}:{folder.UidValidity}:{summary.UniqueId.Id}", mine, Instant.FromDateTimeOffset(received));
                var outcome = await RecordInbound.RunAsync(db, arrival, Instant.FromDateTimeOffset(now), cancellationToken);
                if (outcome is InboundOutcome.Recorded)
                {
                    recorded++;
                }
                else
                {
                    again++;
                }

                db.ChangeTracker.Clear();
                cursor = await db.InboundMailboxCursors.SingleAsync(c => c.Mailbox == box, cancellationToken);
            }

            cursor.LastUid = summary.UniqueId.Id;
            await db.SaveChangesAsync(cancellationToken);
        }

        await client.DisconnectAsync(true, cancellationToken);
        return new PollSummary(summaries.Count, recorded, again, ignored);
    }

    /// <summary>An email as Dunwell records it: the sender, the plain text (or the HTML's text), and the ids it answers.</summary>
    public static InboundArrival ArrivalOf(MimeMessage message, string sourceKey, string? to, Instant received)
    {
        ArgumentNullException.ThrowIfNull(message);
        var from = message.From.Mailboxes.FirstOrDefault()?.Address ?? message.Sender?.Address ?? "unknown";
        var answers = new List<string>();
        if (!string.IsNullOrWhiteSpace(message.InReplyTo))
        {
            answers.Add(message.InReplyTo);
        }

        answers.AddRange(message.References.Where(r => !answers.Contains(r, StringComparer.Ordinal)));
        var report = message.Body is MultipartReport { ReportType: var type } r && string.Equals(type, "delivery-status", StringComparison.OrdinalIgnoreCase) ? r : null;
        return new InboundArrival(InteractionChannel.Email, sourceKey, from, to ?? message.To.Mailboxes.FirstOrDefault()?.Address,
            message.Subject, TextOf(message), received)
        {
            MessageIdHeader = message.MessageId,
            InReplyTo = answers,
            // A delivery report names the message it returns; one Dunwell cannot place waits for a person.
            BounceOf = report is null ? null : ReturnedMessageId(report),
            BounceReason = report is null ? null : BounceReasonOf(report),
            TriageReason = report is null ? null : "A delivery status report (a bounce) for a message Dunwell cannot find: check what it returns.",
        };
    }

    /// <summary>The Message-ID of the returned message, from its headers or the whole message attached to the report.</summary>
    private static string? ReturnedMessageId(MultipartReport report)
    {
        foreach (var part in report)
        {
            var headers = part switch
            {
                MessagePart { Message: { } returned } => returned.Headers,
                _ => null,
            };
            if (headers?[HeaderId.MessageId] is { Length: > 0 } id)
            {
                return id.Trim().Trim('<', '>');
            }
        }

        return null;
    }

    /// <summary>Why it failed, from the report's status and diagnostic code ("5.1.1: smtp; 550 no such user").</summary>
    private static string BounceReasonOf(MultipartReport report)
    {
        var status = report.OfType<MessageDeliveryStatus>().SelectMany(s => s.StatusGroups.Skip(1)).FirstOrDefault();
        var code = status?["Status"];
        var diagnostic = status?["Diagnostic-Code"];
        return string.Join(": ", new[] { code, diagnostic }.Where(t => !string.IsNullOrWhiteSpace(t))) is { Length: > 0 } reason
            ? $"Bounced ({reason})"
            : "Bounced: the mail server reported it undeliverable.";
    }

    private static string TextOf(MimeMessage message)
    {
        if (message.TextBody is { } text)
        {
            return text.Trim();
        }

        if (message.HtmlBody is { } html)
        {
            var stripped = System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", " ");
            return System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(stripped, @"\s+", " ")).Trim();
        }

        return "";
    }

    private static IEnumerable<string> Recipients(Envelope? envelope) =>
        envelope is null ? [] : envelope.To.Mailboxes.Concat(envelope.Cc.Mailboxes).Concat(envelope.Bcc.Mailboxes)
            .Select(m => m.Address.ToLowerInvariant());

    private static SecureSocketOptions Security(string tls) => tls.ToLowerInvariant() switch
    {
        "none" => SecureSocketOptions.None,
        "starttls" => SecureSocketOptions.StartTls,
        "auto" => SecureSocketOptions.Auto,
        _ => SecureSocketOptions.SslOnConnect,
    };
}
