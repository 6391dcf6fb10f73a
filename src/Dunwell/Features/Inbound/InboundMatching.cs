using System.Text.RegularExpressions;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using PhoneNumbers;

namespace Dunwell.Features.Inbound;

/// <summary>The account a message is about, or why a person must decide.</summary>
public sealed record InboundMatch(long? CreditorId, long? DebtorId, long? AccountId, string? MatchedBy, string? TriageReason);

/// <summary>
/// Finds the debtor and account an inbound message is about, in this order: the reply headers (the Message-ID of a
/// message Dunwell sent), the sender's address or number against the debtors' contacts, and an account reference in
/// the text. Anything short of one account goes to triage with the reason; a reference alone, from a sender not on
/// file, is only a suggestion, since anyone can quote a reference.
/// </summary>
public static partial class InboundMatching
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    private static readonly AccountStatus[] Finished = [AccountStatus.Paid, AccountStatus.Settled, AccountStatus.Closed, AccountStatus.WrittenOff];

    public static async Task<InboundMatch> MatchAsync(DunwellDb db, InboundArrival arrival, string from, CancellationToken cancellationToken)
    {
        var creditorHint = await CreditorAddressedAsync(db, arrival, cancellationToken);

        // 1. A reply to a message Dunwell sent names it: the account is known whoever writes.
        var ids = arrival.InReplyTo.SelectMany(id => new[] { id, $"<{id.Trim('<', '>')}>", id.Trim('<', '>') }).Distinct(StringComparer.Ordinal).Take(200).ToArray();
        if (ids.Length > 0)
        {
            var answered = await db.Outbox.Where(m => m.ProviderMessageId != null && ids.Contains(m.ProviderMessageId))
                .Select(m => m.AccountId).Distinct().ToListAsync(cancellationToken);
            if (answered.Count == 1)
            {
                var account = await db.Accounts.Where(a => a.Id == answered[0]).Select(a => new { a.Id, a.DebtorId, a.CreditorId }).SingleAsync(cancellationToken);
                return new InboundMatch(account.CreditorId, account.DebtorId, account.Id, "reply-header", null);
            }
        }

        // 2. The sender's address or number, then 3. a reference in the text among that debtor's accounts.
        var kind = arrival.Channel == InteractionChannel.Email ? ContactKind.Email : ContactKind.Phone;
        var senders = db.DebtorContacts.Where(c => c.Kind == kind && c.Value == from).Select(c => c.DebtorId);
        var candidates = await db.Accounts
            .Where(a => senders.Contains(a.DebtorId) && (creditorHint == null || a.CreditorId == creditorHint))
            .Select(a => new Candidate(a.Id, a.DebtorId, a.CreditorId, a.Reference, a.Status)).ToListAsync(cancellationToken);
        var tokens = References(arrival.Subject, arrival.Body);
        var by = kind == ContactKind.Email ? "address" : "number";
        if (candidates.Count > 0)
        {
            var named = candidates.Where(c => tokens.Contains(c.Reference)).ToList();
            var open = candidates.Where(c => !Finished.Contains(c.Status)).ToList();
            var chosen = named.Count == 1 ? named[0] : open.Count == 1 ? open[0] : candidates.Count == 1 ? candidates[0] : null;
            if (chosen is not null)
            {
                return new InboundMatch(chosen.CreditorId, chosen.DebtorId, chosen.Id, named.Count == 1 ? $"{by}+reference" : by, null);
            }

            var creditors = candidates.Select(c => c.CreditorId).Distinct().ToList();
            var debtors = candidates.Select(c => c.DebtorId).Distinct().ToList();
            return new InboundMatch(creditors.Count == 1 ? creditors[0] : creditorHint, debtors.Count == 1 ? debtors[0] : null, null, null,
                debtors.Count > 1
                    ? $"The sender's {by} is on file for {debtors.Count} customers, and the text names none of their accounts."
                    : $"The sender has {candidates.Count} accounts, and the text names none of them.");
        }

        if (tokens.Count > 0)
        {
            var quoted = await db.Accounts.Where(a => tokens.Contains(a.Reference) && (creditorHint == null || a.CreditorId == creditorHint))
                .Select(a => new { a.Reference, a.CreditorId }).Take(2).ToListAsync(cancellationToken);
            if (quoted.Count == 1)
            {
                return new InboundMatch(quoted[0].CreditorId, null, null, null,
                    $"The text names account {quoted[0].Reference}, but the sender's {by} is not on file for it: check before assigning.");
            }
        }

        return new InboundMatch(creditorHint, null, null, null, $"No customer on file uses the sender's {by}, and the text names no account.");
    }

    /// <summary>An email address lower-cased; a phone number in E.164 when it parses (a national number read as US).</summary>
    public static string NormaliseSender(InteractionChannel channel, string from)
    {
        var trimmed = from.Trim();
        if (channel == InteractionChannel.Email)
        {
            return trimmed.ToLowerInvariant();
        }

        try
        {
            var number = Phones.Parse(trimmed, trimmed.StartsWith('+') ? null : "US");
            return Phones.IsValidNumber(number) ? Phones.Format(number, PhoneNumberFormat.E164) : trimmed;
        }
        catch (NumberParseException)
        {
            return trimmed;
        }
    }

    /// <summary>The creditor whose sender address or number the message was sent to, when exactly one uses it.</summary>
    private static async Task<long?> CreditorAddressedAsync(DunwellDb db, InboundArrival arrival, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(arrival.To))
        {
            return null;
        }

        var to = NormaliseSender(arrival.Channel, arrival.To);
        var lower = arrival.To.Trim().ToLowerInvariant();
        var creditors = await db.Creditors
            .Where(c => c.SenderEmail == lower || c.ContactEmail == lower || c.SmsSender == to || c.ContactPhone == to)
            .Select(c => c.Id).Take(2).ToListAsync(cancellationToken);
        return creditors.Count == 1 ? creditors[0] : null;
    }

    /// <summary>Words in the subject and text that could be account references, as written and upper-cased.</summary>
    public static List<string> References(string? subject, string body) =>
        [.. Word().Matches($"{subject}\n{body}").Select(m => m.Value.TrimEnd('.', '-', '/'))
            .Where(w => w.Length >= 3 && w.Any(char.IsAsciiDigit))
            .SelectMany(w => new[] { w, w.ToUpperInvariant() }).Distinct(StringComparer.Ordinal).Take(200)];

    private sealed record Candidate(long Id, long DebtorId, long CreditorId, string Reference, AccountStatus Status);

    [GeneratedRegex(@"[A-Za-z0-9][A-Za-z0-9\-_/.]{2,63}")]
    private static partial Regex Word();
}
