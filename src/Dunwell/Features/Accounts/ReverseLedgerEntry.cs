using System.Globalization;
using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Domain.Ledger;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Dunwell.Features.Accounts;

/// <summary>
/// POST /api/v1/accounts/{id}/ledger/{entryId}/reversal: a supervisor undoes a ledger entry (a bounced payment, a charge
/// placed in error). The original is never touched: a new Reversal entry negates it and names it. An entry is reversed
/// at most once (the database's unique index on the named entry guarantees it), and a reversal is not itself reversed.
/// </summary>
public static class ReverseLedgerEntry
{
    public const string AuditAction = "ledger.reverse";

    public sealed record Request(string? Reason);

    public sealed record Response(LedgerEntryResponse Reversal, MoneyBreakdown Balance);

    public static RouteHandlerBuilder Map(IEndpointRouteBuilder api) =>
        api.MapPost("/accounts/{id:long}/ledger/{entryId:long}/reversal", HandleAsync)
            .WithName(nameof(ReverseLedgerEntry))
            .WithSummary("Reverse a ledger entry with a new entry that names it (supervisors)")
            .WithTags("Ledger")
            .RequireAuthorization(Policies.Supervisor);

    internal static async Task<Results<Created<Response>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        long id,
        long entryId,
        [FromBody] Request request,
        DunwellDb db,
        TimeProvider clock,
        IDateTimeZoneProvider zones,
        ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var now = clock.Now();
        if (Validate(request) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // Under the account's lock, all or nothing: the reversal, any arrangement it reopens, and their evaluation.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.Accounts.AnyAsync(a => a.Id == id, cancellationToken))
        {
            await AccountLock.TakeAsync(db, id, cancellationToken);
        }

        var account = await db.Accounts.Include(a => a.Creditor).SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        var original = await db.Ledger.AsNoTracking().SingleOrDefaultAsync(e => e.Id == entryId && e.AccountId == id, cancellationToken);
        if (account is null || original is null)
        {
            return account is null ? ApiProblems.NotFound("account", id) : ApiProblems.NotFound($"ledger entry on account {id} numbered", entryId);
        }

        if (original.Kind == LedgerEntryKind.Reversal)
        {
            return ApiProblems.Conflict($"Entry {entryId} is itself a reversal; post the original movement again instead of reversing a reversal.");
        }

        var existing = await db.Ledger.Where(e => e.ReversesEntryId == entryId).Select(e => (long?)e.Id).SingleOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            return AlreadyReversed(entryId, existing);
        }

        var actor = Actor.Of(user);
        var today = clock.Today(zones.GetZoneOrNull(account.Creditor.TimeZone) ?? DateTimeZone.Utc);
        var reversal = ReversalOf(original, today, now, actor, request.Reason!.Trim());
        db.Ledger.Add(reversal);

        if (original.Kind == LedgerEntryKind.Payment)
        {
            await Arrangements.ArrangementReopening.OnPaymentReversedAsync(db, account, entryId, actor, now, today, cancellationToken);
        }

        var after = await AccountQueries.BalanceAsync(db, id, cancellationToken) + reversal.Amount;
        if (account.Status == AccountStatus.Paid && after.Total > 0)
        {
            account.Status = AccountStatus.Active;
        }

        account.UpdatedAt = now;
        AuditLog.Add(db, actor, AuditAction, $"account:{id}", now,
            detail: string.Create(CultureInfo.InvariantCulture, $"reversed {original.Kind} entry {entryId}: {reversal.Note}"));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (ApiProblems.IsUniqueViolation(e))
        {
            return AlreadyReversed(entryId, null);
        }

        if (original.Kind == LedgerEntryKind.Payment)
        {
            // A reopened arrangement whose dates have gone is broken now, with its follow-up task, not at the next daily run.
            await Arrangements.EvaluateArrangements.RunAsync(db, today, id, actor, now, cancellationToken);
            after = await AccountQueries.BalanceAsync(db, id, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);

        return TypedResults.Created(
            $"/api/v1/accounts/{id}/ledger/{reversal.Id}",
            new Response(LedgerEntryResponse.From(reversal, reversedBy: null), MoneyBreakdown.Of(after, account.Currency)));
    }

    /// <summary>The entry that undoes <paramref name="original"/>: every component negated, naming it, with the reason.</summary>
    internal static LedgerEntry ReversalOf(LedgerEntry original, LocalDate valueDate, Instant now, string actor, string note) => new()
    {
        AccountId = original.AccountId,
        Kind = LedgerEntryKind.Reversal,
        Principal = -original.Principal,
        Interest = -original.Interest,
        Fees = -original.Fees,
        Currency = original.Currency,
        ValueDate = valueDate,
        PostedAt = now,
        PostedBy = actor,
        ReversesEntryId = original.Id,
        Reference = original.Reference,
        Note = note,
    };

    internal static Dictionary<string, string[]> Validate(Request request)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            errors["reason"] = ["Say why the entry is reversed; the reason stays on the ledger."];
        }
        else if (request.Reason.Trim().Length > 1000)
        {
            errors["reason"] = ["Keep the reason under 1000 characters."];
        }

        return errors;
    }

    private static ProblemHttpResult AlreadyReversed(long entryId, long? by) => ApiProblems.Conflict(
        by is { } reversal ? $"Entry {entryId} has already been reversed by entry {reversal}." : $"Entry {entryId} has already been reversed.");
}
