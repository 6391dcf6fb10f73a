using System.Security.Claims;
using Dunwell.Data;
using Dunwell.Features.Accounts;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Dunwell.Features.Disputes;

/// <summary>
/// GET /api/v1/accounts/{id}/disputes: the account's disputes with the summary GET /accounts/{id} carries;
/// GET /api/v1/accounts/{id}/disputes/{disputeId}: one dispute. Reads are audited under the debtor.
/// </summary>
public static class GetDisputes
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/accounts/{id:long}/disputes", ListAsync)
            .WithName("ListDisputes")
            .WithSummary("An account's disputes, open and verified, and how much of the balance is disputed")
            .WithTags("Disputes")
            .RequireAuthorization(Policies.Read);
        api.MapGet("/accounts/{id:long}/disputes/{disputeId:long}", GetAsync)
            .WithName("GetDispute")
            .WithSummary("One dispute of an account")
            .WithTags("Disputes")
            .RequireAuthorization(Policies.Read);
    }

    internal static async Task<Results<Ok<DisputeSummary>, ProblemHttpResult>> ListAsync(
        long id, DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking().Where(a => a.Id == id).Select(a => new { a.DebtorId, a.Currency }).SingleOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            return ApiProblems.NotFound("account", id);
        }

        var disputes = await AccountQueries.DisputesAsync(db, id, cancellationToken);
        var balance = await AccountQueries.BalanceAsync(db, id, cancellationToken);
        await AuditLog.RecordReadAsync(db, user, AuditLog.Actions.DisputeRead, $"debtor:{account.DebtorId}", clock.Now(), cancellationToken);
        return TypedResults.Ok(DisputeSummary.From(id, disputes, balance.Total, account.Currency));
    }

    internal static async Task<Results<Ok<DisputeResponse>, ProblemHttpResult>> GetAsync(
        long id, long disputeId, DunwellDb db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking().Where(a => a.Id == id).Select(a => new { a.DebtorId, a.Currency }).SingleOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            return ApiProblems.NotFound("account", id);
        }

        if ((await AccountQueries.DisputesAsync(db, id, cancellationToken)).SingleOrDefault(d => d.Id == disputeId) is not { } dispute)
        {
            return ApiProblems.NotFound("dispute", disputeId);
        }

        await AuditLog.RecordReadAsync(db, user, AuditLog.Actions.DisputeRead, $"debtor:{account.DebtorId}", clock.Now(), cancellationToken);
        return TypedResults.Ok(DisputeResponse.From(id, dispute, account.Currency));
    }
}
