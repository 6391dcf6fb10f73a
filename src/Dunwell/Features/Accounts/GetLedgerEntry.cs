using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Dunwell.Features.Accounts;

/// <summary>GET /api/v1/accounts/{id}/ledger/{entryId}: one ledger entry (where a payment's or reversal's Location points).</summary>
public static class GetLedgerEntry
{
    public static RouteHandlerBuilder Map(IEndpointRouteBuilder api) =>
        api.MapGet("/accounts/{id:long}/ledger/{entryId:long}", HandleAsync)
            .WithName(nameof(GetLedgerEntry))
            .WithSummary("One ledger entry, with the reversal that reverses it if any")
            .WithTags("Ledger")
            .RequireAuthorization(Policies.Read);

    internal static async Task<Results<Ok<LedgerEntryResponse>, ProblemHttpResult>> HandleAsync(
        long id, long entryId, DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var entry = await db.Ledger.AsNoTracking().SingleOrDefaultAsync(e => e.Id == entryId && e.AccountId == id, cancellationToken);
        if (entry is null)
        {
            return ApiProblems.NotFound($"ledger entry on account {id} numbered", entryId);
        }

        var reversedBy = await db.Ledger.Where(e => e.ReversesEntryId == entryId).Select(e => (long?)e.Id).SingleOrDefaultAsync(cancellationToken);
        await AuditLog.RecordAccountReadAsync(db, user, AuditLog.Actions.LedgerRead, id, clock.Now(), cancellationToken, $"entry:{entryId}");
        return TypedResults.Ok(LedgerEntryResponse.From(entry, reversedBy));
    }
}
