using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Features.Compliance;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Templates;

/// <summary>
/// US pack: the validation notice goes with the first message queued to a consumer (12 CFR 1006.34(a): in the initial
/// communication or within five days of it). When a US consumer account's message is queued and no notice has been
/// sent or queued, the notice is queued with it, to go at the same time. The sender records when it actually went and
/// the validation period end from that send.
/// </summary>
public static class ValidationNotice
{
    public static string KeyFor(long accountId) => $"validation-notice:{accountId}";

    /// <summary>
    /// Adds the validation notice beside <paramref name="first"/> when the account needs one; returns what it added.
    /// Call before saving <paramref name="first"/>; idempotent per account (one notice key per account).
    /// </summary>
    public static async Task<IReadOnlyList<OutboxMessage>> QueueWithAsync(DunwellDb db, OutboxMessage first, Instant now, CancellationToken cancellationToken)
    {
        if (first.TemplateKey == TemplatePurposes.ValidationNotice)
        {
            return [];
        }

        var account = await db.Accounts.Where(a => a.Id == first.AccountId)
            .Select(a => new { a.Kind, a.ValidationNoticeSentAt, a.Creditor.JurisdictionPack, a.Debtor.Country, a.Debtor.PreferredChannel })
            .SingleAsync(cancellationToken);
        var pack = ContactQuestion.PackFor(account.JurisdictionPack, account.Kind, account.Country);
        var key = KeyFor(first.AccountId);
        if (pack != PackBlocks.UsPack || account.Kind != AccountKind.Consumer || account.ValidationNoticeSentAt is not null
            || db.Outbox.Local.Any(m => m.IdempotencyKey == key)
            || await db.Outbox.AnyAsync(m => m.IdempotencyKey == key, cancellationToken))
        {
            return [];
        }

        var notice = new OutboxMessage
        {
            AccountId = first.AccountId,
            // In writing or electronically (1006.42): by email when the first message is an email, otherwise by letter.
            Channel = first.Channel == InteractionChannel.Email ? InteractionChannel.Email : InteractionChannel.Letter,
            TemplateKey = TemplatePurposes.ValidationNotice,
            SendAfter = first.SendAfter < now ? now : first.SendAfter,
            State = OutboxState.Queued,
            IdempotencyKey = key,
            CreatedAt = now,
        };
        db.Outbox.Add(notice);
        return [notice];
    }
}
