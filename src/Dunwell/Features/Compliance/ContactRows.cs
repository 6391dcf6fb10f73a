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
    /// A communication for the validation notice's timing: a message sent, or a call with a conversation. Corrections
    /// have the Correction outcome, so the outcome test leaves them out without the corrects column.
    /// </summary>
    private static readonly Expression<Func<Interaction, bool>> Communicates = i => i.Outcome != OutcomeCode.Correction
        && ((i.Direction == InteractionDirection.Outbound
                && (i.Channel == InteractionChannel.Email || i.Channel == InteractionChannel.Sms || i.Channel == InteractionChannel.Letter))
            || (i.Channel == InteractionChannel.Call && (i.Conversation || ConversationOutcomes.Contains(i.Outcome))));

    /// <summary>
    /// The first communication on record (a message sent, a conversation) about each consumer account with no
    /// validation notice yet, from before <paramref name="before"/> (the start of the history window): the validation
    /// notice falls due from it however long ago it was.
    /// </summary>
    public static async Task<Dictionary<long, Instant>> FirstCommunicationsAsync(
        DunwellDb db, IEnumerable<AccountRow> accounts, Instant before, CancellationToken cancellationToken)
    {
        var wanted = accounts.Where(a => a.Kind == AccountKind.Consumer && a.ValidationNoticeSentAt is null).ToList();
        var ids = wanted.Select(a => a.Id).ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        var first = await db.Interactions.AsNoTracking()
            .Where(i => EF.Parameter(ids).Contains(i.AccountId) && i.OccurredAt < before)
            .Where(Communicates)
            .GroupBy(i => i.AccountId)
            .Select(g => new { AccountId = g.Key, First = g.Min(i => i.OccurredAt) })
            .ToDictionaryAsync(g => g.AccountId, g => g.First, cancellationToken);

        // A communication recorded on another of the debtor's accounts that was also about one of these counts for it
        // too. Such rows are few: read by debtor, one earliest per set of other accounts, and spread over them here.
        var debtorIds = wanted.Select(a => a.DebtorId).Distinct().ToArray();
        var shared = await db.Interactions.AsNoTracking()
            .Where(i => EF.Parameter(debtorIds).Contains(i.DebtorId) && i.AlsoAbout != null && i.OccurredAt < before)
            .Where(Communicates)
            .GroupBy(i => i.AlsoAbout!)
            .Select(g => new { AlsoAbout = g.Key, First = g.Min(i => i.OccurredAt) })
            .ToListAsync(cancellationToken);
        foreach (var group in shared)
        {
            foreach (var accountId in InteractionAccounts.Parse(group.AlsoAbout).Where(ids.Contains))
            {
                first[accountId] = first.TryGetValue(accountId, out var known) && known <= group.First ? known : group.First;
            }
        }

        return first;
    }
}
