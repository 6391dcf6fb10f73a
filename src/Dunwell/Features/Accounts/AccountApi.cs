using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Ledger;
using Dunwell.Features.Debtors;
using Dunwell.Features.Disputes;
using Dunwell.Features.Interactions;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Dunwell.Features.Accounts;

/// <summary>
/// GET /api/v1/accounts/{id}: the account at a glance (DESIGN §4.2) in one call, with the facts the compliance rules
/// read (limitation date, validation notice, disputes). The read is audited. <c>creditBalance</c> is set only when an
/// overpayment left the account in credit (the balance is then negative): what the creditor owes back.
/// </summary>
public static class AccountApi
{
    public sealed record Response(
        long Id,
        string Reference,
        AccountKind Kind,
        AccountStatus Status,
        string Currency,
        DateOnly DueDate,
        DateOnly? ItemizationDate,
        string? OriginalCreditor,
        DateOnly? LastPaymentDate,
        string? AssignedAgent,
        DateOnly? LimitationDate,
        bool TimeBarred,
        DateTimeOffset? ValidationNoticeSentAt,
        DateOnly? ValidationPeriodEnd,
        DisputeSummary Disputes,
        CreditorWire Creditor,
        DebtorResponse Debtor,
        MoneyBreakdown Balance,
        MoneyAmount? CreditBalance,
        AgeingWire Ageing,
        IReadOnlyList<LedgerEntryResponse> Ledger,
        IReadOnlyList<InteractionResponse> Interactions)
    {
        public static Response From(AccountView account) => new(
            account.Id,
            account.Reference,
            account.Kind,
            account.Status,
            account.Currency,
            account.DueDate.ToDateOnly(),
            account.ItemizationDate?.ToDateOnly(),
            account.OriginalCreditor,
            account.LastPaymentDate?.ToDateOnly(),
            account.AssignedAgent,
            account.LimitationDate?.ToDateOnly(),
            account.TimeBarred,
            account.ValidationNoticeSentAt?.ToDateTimeOffset(),
            account.ValidationPeriodEnd?.ToDateOnly(),
            DisputeSummary.From(account.Id, account.Disputes, account.Balance.Total, account.Currency),
            new CreditorWire(account.Creditor.Id, account.Creditor.Reference, account.Creditor.Name, account.Creditor.JurisdictionPack),
            DebtorResponse.From(account.Debtor),
            MoneyBreakdown.Of(account.Balance, account.Currency),
            Payments.PostPayment.CreditOf(account.Balance.Total, account.Currency),
            new AgeingWire(account.Today.ToDateOnly(), account.DaysPastDue, Domain.Ledger.Ageing.Key(account.Ageing), Domain.Ledger.Ageing.Label(account.Ageing)),
            LedgerEntryResponse.From(account.Ledger, account.Currency),
            InteractionResponse.From(account.Id, account.Interactions));
    }

    public static RouteHandlerBuilder Map(IEndpointRouteBuilder api) =>
        api.MapGet("/accounts/{id:long}", HandleAsync)
            .WithName("GetAccount")
            .WithSummary("The account at a glance: balance breakdown, ageing, status, compliance facts, disputes, debtor, ledger and interactions")
            .WithTags("Accounts")
            .RequireAuthorization(Policies.Read);

    internal static async Task<Results<Ok<Response>, ProblemHttpResult>> HandleAsync(
        long id, DunwellDb db, TimeProvider clock, IDateTimeZoneProvider zones, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var now = clock.Now();
        var account = await AccountQueries.GetAsync(db, id, now, zones, cancellationToken);
        if (account is null)
        {
            return ApiProblems.NotFound("account", id);
        }

        await AuditLog.RecordReadsAsync(db, user, now,
            [new(AuditLog.Actions.AccountRead, $"account:{id}"), new(AuditLog.Actions.DebtorRead, $"debtor:{account.Debtor.Id}")], cancellationToken);
        return TypedResults.Ok(Response.From(account));
    }
}

public sealed record CreditorWire(long Id, string Reference, string Name, string JurisdictionPack);

/// <summary>Days past due in the creditor's calendar as of <see cref="AsOf"/>; bucket is current, 1-30, 31-60, 61-90, 91-120 or 120+.</summary>
public sealed record AgeingWire(DateOnly AsOf, int DaysPastDue, string Bucket, string Label);

/// <summary>
/// One ledger entry on the wire. Amounts are signed (positive increases what is owed). <see cref="ReversesEntryId"/>
/// names the entry a reversal reverses; <see cref="ReversedByEntryId"/> the reversal of this one, if any.
/// </summary>
public sealed record LedgerEntryResponse(
    long Id,
    LedgerEntryKind Kind,
    DateOnly ValueDate,
    DateTimeOffset PostedAt,
    string PostedBy,
    MoneyBreakdown Amount,
    string? Method,
    string? Reference,
    long? ReversesEntryId,
    long? ReversedByEntryId,
    string? Note)
{
    public static IReadOnlyList<LedgerEntryResponse> From(IReadOnlyList<LedgerLine> ledger, string currency)
    {
        var reversedBy = ledger.Where(l => l.ReversesEntryId is not null).ToDictionary(l => l.ReversesEntryId!.Value, l => l.Id);
        return [.. ledger.Select(l => From(l, currency, reversedBy.TryGetValue(l.Id, out var reversal) ? reversal : null))];
    }

    public static LedgerEntryResponse From(LedgerLine line, string currency, long? reversedBy) => new(
        line.Id,
        line.Kind,
        line.ValueDate.ToDateOnly(),
        line.PostedAt.ToDateTimeOffset(),
        line.PostedBy,
        MoneyBreakdown.Of(line.Amount, currency),
        line.Method,
        line.Reference,
        line.ReversesEntryId,
        reversedBy,
        line.Note);

    public static LedgerEntryResponse From(LedgerEntry entry, long? reversedBy) => From(
        new LedgerLine(entry.Id, entry.Kind, entry.ValueDate, entry.PostedAt, entry.PostedBy, entry.Amount, entry.Method, entry.Reference,
            entry.ReversesEntryId, entry.Note),
        entry.Currency,
        reversedBy);
}
