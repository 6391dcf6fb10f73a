using System.Linq.Expressions;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Compliance;

/// <summary>
/// The rows a contact question is built from, read the same way by the one-account load
/// (<see cref="ContactQuestion.LoadAsync"/>) and the batched one (<see cref="ContactQuestions"/>).
/// </summary>
internal static class ContactRows
{
    public sealed record AccountRow(
        long Id, AccountKind Kind, string Currency, long DebtorId, long CreditorId, LocalDate? LimitationDate, Instant? ValidationNoticeSentAt,
        LocalDate? ValidationPeriodEnd, string JurisdictionPack, string CreditorZone, string Reference);

    public sealed record DebtorRow(
        long Id, DebtorKind Kind, string Country, string? Region, string? PostalCode, string? City, string? AddressTimeZone, string? LocationTimeZone,
        LocalTime? ContactFrom, LocalTime? ContactUntil)
    {
        public static DebtorRow Of(Debtor d) =>
            new(d.Id, d.Kind, d.Country, d.Region, d.PostalCode, d.City, d.AddressTimeZone, d.LocationTimeZone, d.ContactFrom, d.ContactUntil);
    }

    /// <summary>The debtor with everything recorded about how to reach them.</summary>
    public sealed record DebtorOnFile(
        DebtorRow Debtor, IEnumerable<DebtorContact> Contacts, IEnumerable<DebtorFlag> Flags, IEnumerable<DebtorInconvenientTime> InconvenientTimes);

    public sealed record DisputeRow(long Id, long AccountId, Instant ReceivedAt, bool Written, long? AmountMinor, Instant? VerifiedAt);

    public sealed record HistoryRow(
        long Id, long AccountId, long DebtorId, Instant OccurredAt, InteractionChannel Channel, InteractionDirection Direction, OutcomeCode Outcome,
        bool Conversation, long? ContactId, long? CorrectsInteractionId)
    {
        /// <summary>The other accounts it was also about (<see cref="Interaction.AlsoAbout"/>): it counts for each.</summary>
        public string? AlsoAbout { get; init; }
    }

    public static readonly Expression<Func<Account, AccountRow>> AccountProjection = a => new AccountRow(
        a.Id, a.Kind, a.Currency, a.DebtorId, a.CreditorId, a.LimitationDate, a.ValidationNoticeSentAt, a.ValidationPeriodEnd,
        a.Creditor.JurisdictionPack, a.Creditor.TimeZone, a.Reference);

    public static readonly Expression<Func<Debtor, DebtorRow>> DebtorProjection = d => new DebtorRow(
        d.Id, d.Kind, d.Country, d.Region, d.PostalCode, d.City, d.AddressTimeZone, d.LocationTimeZone, d.ContactFrom, d.ContactUntil);

    public static readonly Expression<Func<Dispute, DisputeRow>> DisputeProjection = d => new DisputeRow(d.Id, d.AccountId, d.ReceivedAt, d.Written, d.AmountMinor, d.VerifiedAt);

    public static readonly Expression<Func<Interaction, HistoryRow>> HistoryProjection = i => new HistoryRow(
        i.Id, i.AccountId, i.DebtorId, i.OccurredAt, i.Channel, i.Direction, i.Outcome, i.Conversation, i.ContactId, i.CorrectsInteractionId)
    { AlsoAbout = i.AlsoAbout };

    /// <summary>Outcomes only a conversation can have: they count as one even when the conversation box was left unticked.</summary>
    public static readonly OutcomeCode[] ConversationOutcomes =
    [
        OutcomeCode.RightPartyContact, OutcomeCode.Promise, OutcomeCode.Dispute, OutcomeCode.Refused, OutcomeCode.Hardship, OutcomeCode.PaidInFull,
        OutcomeCode.CallbackRequested,
    ];

    /// <summary>
    /// The first communication on record (a message sent, a conversation) about each consumer account with no
    /// validation notice yet, from before <paramref name="before"/> (the start of the history window): the validation
    /// notice falls due from it however long ago it was.
    /// </summary>
    public static async Task<Dictionary<long, Instant>> FirstCommunicationsAsync(
        DunwellDb db, IEnumerable<AccountRow> accounts, Instant before, CancellationToken cancellationToken)
    {
        var ids = accounts.Where(a => a.Kind == AccountKind.Consumer && a.ValidationNoticeSentAt is null).Select(a => a.Id).ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        // Corrections have the Correction outcome, so the outcome test leaves them out without the corrects column.
        return await db.Interactions.AsNoTracking()
            .Where(i => EF.Parameter(ids).Contains(i.AccountId) && i.OccurredAt < before && i.Outcome != OutcomeCode.Correction
                && ((i.Direction == InteractionDirection.Outbound
                        && (i.Channel == InteractionChannel.Email || i.Channel == InteractionChannel.Sms || i.Channel == InteractionChannel.Letter))
                    || (i.Channel == InteractionChannel.Call && (i.Conversation || ConversationOutcomes.Contains(i.Outcome)))))
            .GroupBy(i => i.AccountId)
            .Select(g => new { AccountId = g.Key, First = g.Min(i => i.OccurredAt) })
            .ToDictionaryAsync(g => g.AccountId, g => g.First, cancellationToken);
    }
}
