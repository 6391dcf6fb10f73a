using System.Linq.Expressions;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
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
        long Id, DebtorKind Kind, string Country, string? Region, string? PostalCode, string? LocationTimeZone, LocalTime? ContactFrom, LocalTime? ContactUntil)
    {
        public static DebtorRow Of(Debtor d) => new(d.Id, d.Kind, d.Country, d.Region, d.PostalCode, d.LocationTimeZone, d.ContactFrom, d.ContactUntil);
    }

    /// <summary>The debtor with everything recorded about how to reach them.</summary>
    public sealed record DebtorOnFile(
        DebtorRow Debtor, IEnumerable<DebtorContact> Contacts, IEnumerable<DebtorFlag> Flags, IEnumerable<DebtorInconvenientTime> InconvenientTimes);

    public sealed record DisputeRow(long Id, long AccountId, Instant ReceivedAt, bool Written, long? AmountMinor, Instant? VerifiedAt);

    public sealed record HistoryRow(
        long Id, long AccountId, long DebtorId, Instant OccurredAt, InteractionChannel Channel, InteractionDirection Direction, OutcomeCode Outcome,
        bool Conversation, long? ContactId, long? CorrectsInteractionId);

    public static readonly Expression<Func<Account, AccountRow>> AccountProjection = a => new AccountRow(
        a.Id, a.Kind, a.Currency, a.DebtorId, a.CreditorId, a.LimitationDate, a.ValidationNoticeSentAt, a.ValidationPeriodEnd,
        a.Creditor.JurisdictionPack, a.Creditor.TimeZone, a.Reference);

    public static readonly Expression<Func<Debtor, DebtorRow>> DebtorProjection = d => new DebtorRow(
        d.Id, d.Kind, d.Country, d.Region, d.PostalCode, d.LocationTimeZone, d.ContactFrom, d.ContactUntil);

    public static readonly Expression<Func<Dispute, DisputeRow>> DisputeProjection = d => new DisputeRow(d.Id, d.AccountId, d.ReceivedAt, d.Written, d.AmountMinor, d.VerifiedAt);

    public static readonly Expression<Func<Interaction, HistoryRow>> HistoryProjection = i => new HistoryRow(
        i.Id, i.AccountId, i.DebtorId, i.OccurredAt, i.Channel, i.Direction, i.Outcome, i.Conversation, i.ContactId, i.CorrectsInteractionId);
}
